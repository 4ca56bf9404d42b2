package cli

import (
	"context"
	"encoding/json"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/registry"
)

// inspection is inspect's JSON.
type inspection struct {
	Reference    string           `json:"reference"`
	Digest       string           `json:"digest"`
	MediaType    string           `json:"mediaType"`
	Size         int64            `json:"size"`
	ArtifactType string           `json:"artifactType,omitempty"`
	Platforms    []platform       `json:"platforms,omitempty"`
	Layers       []layer          `json:"layers,omitempty"`
	Config       *json.RawMessage `json:"config,omitempty"`
}

type platform struct {
	OS           string `json:"os"`
	Architecture string `json:"architecture"`
	Variant      string `json:"variant,omitempty"`
	Digest       string `json:"digest"`
	Size         int64  `json:"size"`
}

type layer struct {
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
	MediaType string `json:"mediaType"`
}

// layerJSON is a layer as inspect and diff give it.
func layerJSON(d v1.Descriptor) layer {
	return layer{Digest: d.Digest.String(), Size: d.Size, MediaType: string(d.MediaType)}
}

func inspectCommand(ctx context.Context, env commandEnv, arg string) error {
	ref, err := registry.ParseReference(arg, env.plainHTTP, env.insecure)
	if err != nil {
		return err
	}
	in, err := image.InspectReference(ctx, env.source(ref.Registry), ref, false)
	if err != nil {
		return err
	}
	m := in.Manifest
	out := inspection{Reference: ref.String(), Digest: m.Digest, MediaType: m.MediaType, Size: m.Size, ArtifactType: m.ArtifactType()}
	if m.IsIndex() {
		out.Platforms = []platform{}
		for _, d := range m.Children() {
			p := platform{Digest: d.Digest.String(), Size: d.Size}
			if d.Platform != nil {
				p.OS, p.Architecture, p.Variant = d.Platform.OS, d.Platform.Architecture, d.Platform.Variant
			}
			out.Platforms = append(out.Platforms, p)
		}
	} else {
		out.Layers = []layer{}
		for _, d := range m.Layers() {
			out.Layers = append(out.Layers, layerJSON(d))
		}
	}
	if in.ConfigRaw != nil {
		msg := json.RawMessage(in.ConfigRaw)
		out.Config = &msg
	}
	doc, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = env.out.Write(append(printable.JSON(doc), '\n'))
	return err
}
