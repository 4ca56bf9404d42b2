#!/usr/bin/env bash
# Takes the README's screenshots of the real window under Xvfb, driving it
# with xdotool as a person would: grid, search, repository, index, image,
# add-registry dialog, sign-in dialog, help, the grid in the light theme, an
# image's Trust tab (its verdicts, its SBOM's packages), and Manage (a
# delete's preview, a copy and its progress).
# Run by `make screenshots`; needs the test tools (make test-deps).
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs
bin=$(mktemp -d)/card-catalog
go build -tags "${TAGS:-migrated_fynedo,no_emoji,no_animations}" -o "$bin" .
serve=$(dirname "$bin")/serve # test registries that behave like Harbor, ECR, ...
go build -o "$serve" ./registry/registrytest/serve
display=${SHOTS_DISPLAY:-:97} # another display where :97 is taken
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb=$!
app= servers= # the processes this script started, ended by their ids
trap 'kill $xvfb $app $servers 2>/dev/null || true' EXIT
export DISPLAY=$display LANG=en_US.UTF-8 DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent
sleep 1

window() { # window: the window's id in $W, once it shows
	for _ in $(seq 100); do
		W=$(xdotool search --name '^Card Catalog$' 2>/dev/null | head -1) && [ -n "$W" ] && break
		sleep 0.1
	done
}
start() { # start THEME [WIDTH HEIGHT]: a fresh home, the window, its id in $W
	home=$(mktemp -d)
	if [ -n "${AUTH_JSON:-}" ]; then # logins as Podman keeps them
		mkdir -p "$home/.config/containers"
		printf '%s' "$AUTH_JSON" >"$home/.config/containers/auth.json"
	fi
	if [ -n "${2:-}" ]; then
		mkdir -p "$home/.config/fyne/io.github.cardcatalog.CardCatalog"
		printf '{"settings.v1":"{\\"showDemo\\":true,\\"windowWidth\\":%s,\\"windowHeight\\":%s}"}' "$2" "$3" \
			>"$home/.config/fyne/io.github.cardcatalog.CardCatalog/preferences.json"
	fi
	HOME=$home FYNE_THEME=$1 "$bin" >"$home/log" 2>&1 &
	app=$!
	window
	sleep 3
}
stop() { kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; app=; sleep 1; } # stop: the window closes
shot() { sleep "${2:-1}"; xwd -silent -id "$W" | convert xwd:- png:"$out/$1.png"; echo "$out/$1.png"; }
keys() { xdotool key --window "$W" "$@"; }
click() { xdotool mousemove --window "$W" "$1" "$2" click 1; }

serveKind() { # serveKind KIND [FLAGS]: its "address user password" in $1 $2 $3 after `set --`
	"$serve" -kind "$@" >"$home/serve-$1" &
	servers="$servers $!"
	eval "server_$1=$!"
	for _ in $(seq 50); do [ -s "$home/serve-$1" ] && break; sleep 0.1; done
}

start dark
shot grid
xdotool type --window "$W" "zzqq"; shot no-match
keys Escape
xdotool type --window "$W" "pyth"; shot search
keys Return; shot repository 1.5
keys Down Down Return; shot index 1.5
keys Down Return; sleep 1.5; click 385 183; shot image-history
click 310 183; shot image-config
keys ctrl+n; sleep 0.5; xdotool type --window "$W" "localhost:5000"; shot add-registry
keys Escape; sleep 0.3
# A test registry added without Plain HTTP: it answers https in http.
serveKind azure; read -r plain _ _ <"$home/serve-azure"
keys ctrl+n; sleep 0.5; xdotool type --window "$W" "$plain"; sleep 1.5; keys Return; shot plain-http 2
keys ctrl+Delete; sleep 0.5; keys Return; sleep 0.5 # and removed again: Enter confirms
keys Escape; sleep 0.3; click 100 150; sleep 1; keys ctrl+l; sleep 0.5; xdotool type --window "$W" "octocat"; shot sign-in
keys Escape; sleep 0.3; keys F1; shot help
stop

start light
shot grid-light
stop

start dark 640 420
xdotool type --window "$W" "pyth"; keys Return; shot small-window 1.5
stop

# Inside an image: team-a/web's layers, one layer's tree, the merged tree
# with a layer filter, what makes it big, and a file's text.
start dark
xdotool type --window "$W" "team-a/web"; keys Return; sleep 1.5; keys Down Return; sleep 1.5
keys ctrl+3; sleep 1 # the Layers tab
keys Down Down Return; sleep 1.5 # layer 1
keys Down Down Down Right Up Right; shot files-layer # its /var and /usr open
keys alt+Left; sleep 0.8; keys ctrl+3; sleep 0.5
keys ctrl+b; sleep 2 # Browse the image's files
click 760 180; sleep 0.7; click 600 330; shot files-filter 1.5 # only layer 2's changes
click 400 141; shot files-size 1.5 # What makes it big
click 303 141; sleep 0.5; xdotool type --window "$W" "readme"; sleep 1; keys Return; sleep 0.5 # the match, in the tree
keys Return; shot files-text 1.5 # Read
stop

# An SBOM that refers to library/python:3.12: what it is, and its JSON.
start dark
xdotool type --window "$W" "library/python"; keys Return; sleep 1.5; keys Down Down Return; sleep 1.5
keys ctrl+3; sleep 1; keys Down Return; shot artifact-sbom 1.5 # the referrer
keys Down Return; shot artifact-content 1.5 # its blob
stop

# Two tags of team-a/web compared: summary, config, files, a file's lines.
start dark
xdotool type --window "$W" "team-a/web"; keys Return; sleep 1.5
keys ctrl+shift+c; sleep 0.8; keys Return; sleep 2.5 # Compare two tags: the default pair
shot compare-summary
click 397 146; shot compare-config 1
click 526 146; shot compare-files 1
click 400 341; shot compare-lines 1.5 # /srv/web/README.md
stop

# Registries by kind: the add dialog's kinds, an ECR registry's parts, a
# Harbor listed through its projects API for a robot account, and an ECR
# login that ran out. The test registries stand at loopback addresses.
login() { printf '"%s":{"auth":"%s"}' "$1" "$(printf '%s:%s' "$2" "$3" | base64 -w0)"; }
home=$(mktemp -d)
serveKind harbor; read -r harbor robot robotSecret <"$home/serve-harbor"
serveKind ecr -life 8s; read -r ecr aws awsPassword <"$home/serve-ecr"
AUTH_JSON="{\"auths\":{$(login "$harbor" "$robot" "$robotSecret"),$(login "$ecr" "$aws" "$awsPassword")}}" start dark
addKind() { # addKind RIGHTS: the add dialog, its kind chosen with RIGHTS presses of Right from Other
	keys ctrl+n; sleep 0.5; keys shift+Tab; sleep 0.2
	for _ in $(seq "$1"); do keys Right; done
	sleep 0.3
}
keys ctrl+n; sleep 0.5; keys shift+Tab; keys space; shot add-registry-kinds
keys Escape; sleep 0.2; keys Escape; sleep 0.3
addKind 4; keys Tab; xdotool type --window "$W" "123456789012"; keys Tab; xdotool type --window "$W" "eu-west-1"
shot add-registry-ecr
keys Escape; sleep 0.3
addKind 8; keys Tab; xdotool type --window "$W" "http://$harbor"; keys Tab; xdotool type --window "$W" "Harbor (robot)"; keys Return
shot harbor-projects 2.5
addKind 4; keys Tab Tab Tab; xdotool type --window "$W" "http://$ecr"; keys Tab; xdotool type --window "$W" "ECR (eu-west-1)"; keys Return
sleep 8; keys ctrl+r; shot expired-login 2.5

# What was seen, offline: the Harbor stops; the window, started again on the
# same home, draws its kept catalog and says whose copy it is; the settings
# say what is kept.
click 100 320; sleep 2.5 # the Harbor again: the last one shown is the one restored
stop
kill "$server_harbor" || true; sleep 0.5
HOME=$home FYNE_THEME=dark "$bin" >"$home/log-again" 2>&1 &
app=$!
window
sleep 4
xdotool mousemove --window "$W" 700 740 # off the sidebar: no row's tip
shot offline-kept 1
keys ctrl+comma; shot settings-cache 1.5
stop

# Trust: the demo's payments-api v1.5.0, signed by the demo's publisher
# (whose key the demo trusts): its verdicts, then its SBOM's packages sorted
# by version.
start dark
xdotool type --window "$W" "team-a/payments-api"; keys Return; sleep 1.5
xdotool type --window "$W" "v1.5.0"; sleep 0.5; keys Return; sleep 2 # the tag the search puts first
keys ctrl+4; shot trust-verdict 1.5 # the Trust tab
click 407 262; sleep 1; click 560 380; shot trust-sbom 1 # Packages, by Version
stop

# Manage: team/app's tags on a writable registry, two ticked and the
# delete's preview; a copy to a registry whose uploads stall, its progress.
home=$(mktemp -d)
serveKind writable; read -r writable _ _ <"$home/serve-writable"
serveKind stalling; read -r stalling _ _ <"$home/serve-stalling"
mkdir -p "$home/.config/fyne/io.github.cardcatalog.CardCatalog"
printf '{"settings.v1":"{\\"registries\\":[{\\"id\\":\\"w\\",\\"name\\":\\"Writable\\",\\"address\\":\\"%s\\",\\"plainHTTP\\":true},{\\"id\\":\\"s\\",\\"name\\":\\"Staging\\",\\"address\\":\\"%s\\",\\"plainHTTP\\":true}],\\"lastSelected\\":\\"w\\"}"}' \
	"$writable" "$stalling" >"$home/.config/fyne/io.github.cardcatalog.CardCatalog/preferences.json"
HOME=$home FYNE_THEME=dark "$bin" >"$home/log" 2>&1 &
app=$!
window
sleep 3
xdotool type --window "$W" "team/app"; keys Return; sleep 2
click 295 225; click 295 185; shot manage-tags 1 # v2 and v3 ticked
click 488 101; shot manage-delete 2 # Delete…: the preview
keys Escape; sleep 0.5; click 295 185; sleep 0.3 # v2 alone
xdotool mousemove --window "$W" 400 225 mousedown 1 mousemove --window "$W" 380 215 sleep 0.2 mousemove --window "$W" 200 150 sleep 0.2 \
	mousemove --window "$W" 100 85 sleep 0.3 mouseup 1 # v2 dropped on Staging: Copy to it
sleep 1; keys Return; shot manage-copy-preview 2
click 842 540; shot manage-copy-progress 3 # Copy: Staging's uploads stall
