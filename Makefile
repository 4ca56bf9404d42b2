# Card Catalog. `make run` builds and opens the window, `make test` runs every
# test; both install what is missing first (see packaging/install-deps.sh).

GO      ?= go
BIN     := card-catalog
# migrated_fynedo: the app has migrated to fyne.Do (a build without it keeps
# Fyne's thread checks, which the tests want). no_emoji: leave out Fyne's
# 4 MB emoji font, which Fyne parses again for every text style (about 9 MB
# of heap); emoji in names come from the system's fonts instead.
# no_animations: a steady text cursor, no ripples. Fyne blinks the cursor of
# a focused entry by redrawing the whole window every frame, for as long as
# it has focus, and the search box always has it: 16% of a core and a
# growing heap while the window sits idle (1% without).
TAGS    := migrated_fynedo,no_emoji,no_animations
CACHE   := $(CURDIR)/.cache
FYNE    := $(CACHE)/bin/fyne
PREFIX  ?= /usr/local
APP_ID  := io.github.cardcatalog.CardCatalog

.PHONY: build run deps test-deps test test-windows bench package release test-release install screenshots clean

build: deps
	@[ -x $(BIN) ] || echo "Building Card Catalog. The first build compiles Fyne and its C code: a few minutes; later builds take seconds."
	$(GO) build -tags $(TAGS) -o $(BIN) .

run: build
	./$(BIN)

deps:
	@sh packaging/install-deps.sh build

test-deps:
	@sh packaging/install-deps.sh test

# The tests that start the real program get it built here first: built
# inside a test, its cold cgo compile counted against that package's
# timeout, and on a busy machine it ran out (9 minutes of app/cli's 10).
TEST_BIN := $(CACHE)/test/$(BIN)

test: deps test-deps
	@unformatted=$$(gofmt -l .); [ -z "$$unformatted" ] || { echo "gofmt needed: $$unformatted"; exit 1; }
	$(GO) vet ./...
	$(GO) build -tags $(TAGS) -o $(TEST_BIN) .
	CARD_CATALOG_BINARY=$(TEST_BIN) $(GO) test -timeout 20m ./...

# The Windows build under Wine: where its window opens again (minutes cold).
test-windows: deps
	@sh packaging/install-deps.sh windows
	CARD_CATALOG_WINE=1 $(GO) test -count=1 -run '^TestWindowsPlaceUnderWine$$' -v ./ui/systemtest

# The Go benchmarks (search, pool, engine), then Card Catalog beside crane,
# regctl and cosign, installed at pinned versions into .cache/peers (never
# into go.mod); the comparison (which runs the trust, SBOM and manage
# benchmarks too: verification beside cosign verify --key offline, a copy
# beside crane copy and regctl image copy) writes BENCHMARKS.md.
PEERS := $(CACHE)/peers
CRANE_VERSION  := v0.22.1
REGCTL_VERSION := v0.11.7
COSIGN_VERSION := v2.6.5

bench: deps test-deps
	GOBIN=$(PEERS) $(GO) install github.com/google/go-containerregistry/cmd/crane@$(CRANE_VERSION)
	GOBIN=$(PEERS) $(GO) install github.com/regclient/regclient/cmd/regctl@$(REGCTL_VERSION)
	GOBIN=$(PEERS) $(GO) install github.com/sigstore/cosign/v2/cmd/cosign@$(COSIGN_VERSION)
	$(GO) test -run '^$$' -bench . -benchmem ./app ./app/pool ./app/search ./app/image ./registry/...
	CARD_CATALOG_PEERS=$(PEERS) $(GO) test -run '^$$' -bench '^BenchmarkCompareWithPeers$$' -benchtime 1x -timeout 30m -v ./app/peerbench

# Screenshots of the real window under Xvfb, for the README.
screenshots: deps test-deps
	TAGS=$(TAGS) bash docs/screenshots.sh

$(FYNE):
	GOBIN=$(CACHE)/bin $(GO) install fyne.io/tools/cmd/fyne@v1.7.4

# The package for this OS; on Linux a tar.xz with the binary, the .desktop
# entry and the icon. fyne bumps Build in FyneApp.toml on every run: the
# file is put back as it was.
package: deps $(FYNE)
	cp FyneApp.toml $(CACHE)/FyneApp.toml.orig
	$(FYNE) package --release --tags $(TAGS) || { cp $(CACHE)/FyneApp.toml.orig FyneApp.toml; exit 1; }
	cp $(CACHE)/FyneApp.toml.orig FyneApp.toml

# The release in dist/: .deb, .rpm, tar.xz, the Windows zip, SHA256SUMS.
# nFPM and fyne are pinned tools in .cache/bin, never in go.mod.
NFPM := $(CACHE)/bin/nfpm
$(NFPM):
	GOBIN=$(CACHE)/bin $(GO) install github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2

release: deps $(FYNE) $(NFPM)
	@sh packaging/install-deps.sh release
	TAGS=$(TAGS) bash packaging/release.sh

# The release as a user gets it: installed with apt, started from its menu
# entry, removed; the .rpm's files; the Windows .exe under Wine.
test-release: release test-deps
	@sh packaging/install-deps.sh windows
	bash packaging/test-release.sh

install: build
	install -Dm755 $(BIN) $(DESTDIR)$(PREFIX)/bin/$(BIN)
	install -Dm644 packaging/linux/$(APP_ID).desktop $(DESTDIR)$(PREFIX)/share/applications/$(APP_ID).desktop
	install -Dm644 packaging/linux/$(APP_ID).metainfo.xml $(DESTDIR)$(PREFIX)/share/metainfo/$(APP_ID).metainfo.xml
	install -Dm644 assets/icon.png $(DESTDIR)$(PREFIX)/share/icons/hicolor/512x512/apps/$(APP_ID).png
	install -Dm644 assets/icon.svg $(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps/$(APP_ID).svg

clean:
	rm -rf $(BIN) *.tar.xz *.exe *.app dist $(CACHE)
