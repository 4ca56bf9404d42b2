// Command serve runs a test registry that behaves like one hosted kind, on
// a loopback port, until it is stopped: for the README's screenshots, and
// to try the window against Harbor, ECR, Google, Azure or GitLab by hand.
// It prints the registry's address and the login to use.
//
//	go run ./registry/registrytest/serve -kind harbor
package main

import (
	"cmp"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

func main() {
	kind := flag.String("kind", "harbor", "harbor, ecr, google, azure, gitlab, writable (a blank registry holding team/app at v1, v2 and v3) or stalling (a blank one whose uploads stall)")
	life := flag.Duration("life", 0, "how long an ECR or Google login lasts (default: 12 h and 1 h, as there)")
	flag.Parse()
	issued := &rt.IssuedLogins{}
	var cfg rt.Config
	var user, password string
	switch *kind {
	case "harbor":
		user, password = "robot$team-a+ci", "robot-secret"
		cfg = rt.HarborConfig(map[string]string{user: password, "admin": "Harbor12345"}, &rt.Harbor{Public: map[string]bool{"library": true},
			Members: map[string][]string{"team-a": {user}, "platform": {user}}, Admins: []string{"admin"}})
	case "ecr":
		user, password = rt.ECRUser, issued.Issue(rt.ECRUser, cmp.Or(*life, 12*time.Hour))
		cfg = rt.ECRConfig(issued)
	case "google":
		user, password = rt.GoogleUser, issued.Issue(rt.GoogleUser, cmp.Or(*life, time.Hour))
		cfg = rt.GoogleConfig(issued, "{}")
	case "azure":
		user, password = rt.AzureTokenUser, "identity-token"
		cfg = rt.AzureConfig("admin", "admin-password", password)
	case "gitlab":
		user, password = "alice", "glpat-example"
		cfg = rt.GitLabConfig(map[string]string{user: password}, &rt.GitLab{
			Projects: map[string][]string{"team-a": {"team-a/web", "team-a/ledger", "team-a/worker"}},
			Tokens:   map[string]bool{password: true}})
	case "writable", "stalling":
		cfg = rt.Config{Blank: true, Writes: rt.Writes{StallUploads: *kind == "stalling"}}
	default:
		fmt.Fprintf(os.Stderr, "serve: unknown kind %q\n", *kind)
		os.Exit(2)
	}
	s, err := rt.Start(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
	defer s.Close()
	if *kind == "writable" {
		if err := pushApp(s.Registry.Host); err != nil {
			fmt.Fprintln(os.Stderr, "serve:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("%s %s %s\n", s.Registry.Host, user, password)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
}

// pushApp pushes one random image of three layers to team/app at v1, v2
// and v3.
func pushApp(host string) error {
	img, err := random.Image(3<<20, 3)
	if err != nil {
		return err
	}
	for _, tag := range []string{"v1", "v2", "v3"} {
		ref, err := name.NewTag(host+"/team/app:"+tag, name.Insecure)
		if err != nil {
			return err
		}
		if err := remote.Write(ref, img); err != nil {
			return err
		}
	}
	return nil
}
