package hub_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/card-catalog/card-catalog/registry/hub"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

func TestHubAPI(t *testing.T) {
	var library []string
	for i := range 250 {
		library = append(library, fmt.Sprintf("image-%03d", i))
	}
	api := rt.StartHubAPI(map[string][]string{"library": library, "octocat": {"hello", "world"}})
	defer api.Close()
	c := hub.New(api.Registry, nil)
	var got []hub.Repository
	pages := 0
	err := c.Repositories(context.Background(), "library", func(p []hub.Repository) error {
		pages++
		got = append(got, p...)
		return nil
	})
	if err != nil || len(got) != 250 || pages != 3 || got[0].Path() != "library/image-000" || got[0].PullCount == 0 {
		t.Fatalf("%d repositories in %d pages: %v", len(got), pages, err)
	}
	found, err := c.Search(context.Background(), "hello", 10)
	if err != nil || len(found) != 1 || found[0].Path() != "octocat/hello" {
		t.Fatalf("search: %+v %v", found, err)
	}
	if err := c.Repositories(context.Background(), "nobody", func([]hub.Repository) error { return nil }); err == nil {
		t.Error("an unknown namespace listed")
	}
}
