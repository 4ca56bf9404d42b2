package listing

import (
	"testing"

	"github.com/card-catalog/card-catalog/app/settings"
)

func TestGitLabsAPIIsTheRegistrysHostWithoutRegistry(t *testing.T) {
	for addr, want := range map[string]string{"registry.gitlab.com": "gitlab.com", "gitlab.example.com:5050": "gitlab.example.com"} {
		e := settings.Entry{Address: addr}
		if api, err := gitLabAPI(e); err != nil || api.Host != want {
			t.Errorf("%s: %v %v", addr, api, err)
		}
	}
}
