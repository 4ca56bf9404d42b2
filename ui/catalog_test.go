package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry/credential"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

func withEntry(e settings.Entry) settings.Settings {
	s := settings.Default()
	s.Registries = []settings.Entry{e}
	s.LastSelected = e.ID
	return s
}

// The window against Debian's docker-registry with htpasswd: catalog, tags,
// a tag's layers and config.
func TestWindowOnTheRealDistributionServer(t *testing.T) {
	reg := rt.StartDistribution(t, rt.Htpasswd(t, "alice", "pw"))
	for _, repo := range []string{"team-a/api", "library/alpine"} {
		for i, tag := range []string{"v1.0.0", "v1.2.0"} {
			ref, _ := name.NewTag(reg.Host+"/"+repo+":"+tag, name.Insecure)
			img, _ := random.Image(512, int64(i+1))
			if err := remote.Write(ref, img, remote.WithAuth(&authn.Basic{Username: "alice", Password: "pw"})); err != nil {
				t.Fatal(err)
			}
		}
	}
	login := credential.Static{reg.Host: {Username: "alice", Password: "pw", Source: "Docker config"}}
	h := newHarnessWith(t, withEntry(settings.Entry{ID: "dist", Name: "distribution", Address: reg.Host, PlainHTTP: true}), login)
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "2 repositories" })
	test.Type(h.ui.search, "api")
	h.key("Return")
	repo := h.ui.top().(*repositoryPage)
	h.until("the tags", func() bool { return repo.list.Length() == 2 })
	h.until("the rows", func() bool { s := repo.lazy.states["v1.2.0"]; return s != nil && s.loaded })
	row := newTagRow()
	repo.list.UpdateItem(0, row)
	if richText(row.tag) != "v1.2.0" || !strings.HasPrefix(row.digest.Text, "sha256:") || row.size.Text == "" {
		t.Errorf("row: %q %q %q", richText(row.tag), row.digest.Text, row.size.Text)
	}
	repo.Open()
	detail := h.ui.top().(*detailPage)
	h.until("the image", func() bool { return detail.inspection != nil })
	if len(detail.inspection.Manifest.Image.Layers) != 2 || detail.inspection.Config == nil {
		t.Errorf("detail: %+v", detail.inspection.Manifest)
	}
}

func TestThousandsOfTagsStayFluid(t *testing.T) {
	tags := make([]string, 5000)
	for i := range tags {
		tags[i] = fmt.Sprintf("v1.%d.%d", i/100, i%100)
	}
	s, err := rt.Start(rt.Config{Tags: map[string][]string{"library/python": tags}, MaxPage: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := newHarness(t, withEntry(settings.Entry{ID: "t", Name: "Tags", Address: s.Registry.Host, PlainHTTP: true}))
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "40 repositories" })
	h.ui.push(newRepositoryPage(h.ui, h.ui.current, "library/python"))
	repo := h.ui.top().(*repositoryPage)
	h.until("5,000 tags", func() bool { return repo.list.Length() == 5000 })
	row := newTagRow()
	repo.list.UpdateItem(0, row)
	if richText(row.tag) != "v1.49.99" {
		t.Errorf("newest first: %q", richText(row.tag))
	}
	test.Type(h.ui.search, "v1.4.7")
	if n := repo.list.Length(); n == 0 || n == 5000 {
		t.Errorf("%d tags match", n)
	}
	// Only the visible rows were asked for.
	if n := len(repo.lazy.states); n > 100 {
		t.Errorf("%d rows loading for a screen of rows", n)
	}
}

func TestLongCatalogShowsProgressAndStops(t *testing.T) {
	s, err := rt.Start(rt.Config{Repositories: rt.Names(5000, "ns"), MaxPage: 100, PageDelay: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := newHarness(t, withEntry(settings.Entry{ID: "slow", Name: "Slow", Address: s.Registry.Host, PlainHTTP: true}))
	h.until("some pages", func() bool { return strings.Contains(h.ui.catalog.summary.Text, "(page 3)") })
	if !h.ui.catalog.stop.Visible() {
		t.Fatal("no Stop button while loading")
	}
	test.Tap(h.ui.catalog.stop)
	h.until("the stop", func() bool { return strings.HasPrefix(h.ui.catalog.summary.Text, "Stopped at") })
	if n := h.ui.catalog.grid.Length(); n == 0 || n == 5000 {
		t.Errorf("%d cards after stopping", n)
	}
}

func TestSidebarShowsTheRateLimitLeft(t *testing.T) {
	s, err := rt.Start(rt.Config{RateLimit: [2]string{"100;w=21600", "76;w=21600"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := newHarness(t, withEntry(settings.Entry{ID: "hub", Name: "Limited", Address: s.Registry.Host, PlainHTTP: true}))
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "40 repositories" })
	row := newSidebarRow(hoverTip{})
	h.ui.sidebar.UpdateItem(1, row)
	if !strings.Contains(row.stateText, "76 of 100 pulls left") || !strings.Contains(row.stateText, "anonymous") {
		t.Errorf("sidebar row says %q", row.stateText)
	}
}
