package compare

import (
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/registry"
)

// Layers is how two images' layers relate.
type Layers struct {
	// Prefix is how many leading layers the images share, in the same
	// order: what lies under them is the same filesystem, never read.
	Prefix int
	// Shared lists the layers both images hold (same digest), anywhere.
	Shared []v1.Descriptor
	// Removed are in the first image only, Added in the second only.
	Removed, Added []v1.Descriptor
	// Size of each image, compressed.
	SizeA, SizeB int64
}

// CompareLayers relates a's layers to b's by digest.
func CompareLayers(a, b []v1.Descriptor) Layers {
	var l Layers
	for l.Prefix < len(a) && l.Prefix < len(b) && a[l.Prefix].Digest == b[l.Prefix].Digest {
		l.Prefix++
	}
	inA, inB := digests(a), digests(b)
	l.SizeA, l.SizeB = registry.TotalSize(a), registry.TotalSize(b)
	for _, d := range a {
		if inB[d.Digest] {
			l.Shared = append(l.Shared, d)
		} else {
			l.Removed = append(l.Removed, d)
		}
	}
	for _, d := range b {
		if !inA[d.Digest] {
			l.Added = append(l.Added, d)
		}
	}
	return l
}

func digests(ds []v1.Descriptor) map[v1.Hash]bool {
	m := map[v1.Hash]bool{}
	for _, d := range ds {
		m[d.Digest] = true
	}
	return m
}

// Platforms pairs two indexes' images by platform.
type Platforms struct {
	// Both holds the platforms both have, with each side's image.
	Both []PlatformPair
	// OnlyA and OnlyB are the platforms one side has.
	OnlyA, OnlyB []string
}

// PlatformPair is one platform's image in each index.
type PlatformPair struct {
	Platform string
	A, B     v1.Descriptor
}

// ComparePlatforms pairs a's and b's images ("unknown/unknown" attestation
// entries and entries without a platform are left out).
func ComparePlatforms(a, b []v1.Descriptor, name func(*v1.Platform) string) Platforms {
	byName := func(ds []v1.Descriptor) (map[string]v1.Descriptor, []string) {
		m := map[string]v1.Descriptor{}
		var order []string
		for _, d := range ds {
			if d.Platform == nil || d.Platform.OS == "unknown" {
				continue
			}
			n := name(d.Platform)
			if _, dup := m[n]; !dup {
				order = append(order, n)
			}
			m[n] = d
		}
		return m, order
	}
	ma, orderA := byName(a)
	mb, orderB := byName(b)
	var p Platforms
	for _, n := range orderA {
		if d, ok := mb[n]; ok {
			p.Both = append(p.Both, PlatformPair{n, ma[n], d})
		} else {
			p.OnlyA = append(p.OnlyA, n)
		}
	}
	for _, n := range orderB {
		if _, ok := ma[n]; !ok {
			p.OnlyB = append(p.OnlyB, n)
		}
	}
	return p
}
