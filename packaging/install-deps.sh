#!/bin/sh
# Installs what building (and, with "test", testing) Card Catalog needs, and
# says what it installs. Run by `make deps` and `make test-deps` ("windows":
# `make test-windows`); safe to run again: it installs only what is missing.
set -eu
want=${1:-build}

if ! command -v go >/dev/null 2>&1; then
	echo "Go is missing: install Go 1.25 or newer (https://go.dev/dl/), then run make again." >&2
	exit 1
fi

case "$(uname -s)" in
Linux)
	# Fyne's cgo build: a C compiler and the OpenGL and X11 headers.
	pkgs="gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev"
	if [ "$want" = test ]; then
		# The tests: a virtual display and screenshots, the real distribution
		# registry with htpasswd, a Secret Service keyring on D-Bus, and
		# skopeo to read the archives Card Catalog exports.
		pkgs="$pkgs xvfb xdotool x11-apps imagemagick docker-registry apache2-utils gnome-keyring libsecret-tools dbus skopeo"
	elif [ "$want" = release ]; then
		# The release: packages checked as they are built, zipped, xz'd, and
		# the Windows build cross-compiled with MinGW.
		pkgs="$pkgs gcc-mingw-w64-x86-64 zip unzip xz-utils rpm appstream desktop-file-utils"
	elif [ "$want" = windows ]; then
		# The Windows build, cross-compiled with MinGW and run under Wine.
		pkgs="$pkgs gcc-mingw-w64-x86-64 wine wine64 xvfb xdotool"
	fi
	if command -v dpkg-query >/dev/null 2>&1; then
		missing=""
		for p in $pkgs; do
			dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
		done
		[ -z "$missing" ] && exit 0
		echo "Installing with apt-get:$missing"
		sudo=""
		[ "$(id -u)" -ne 0 ] && sudo=sudo
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "Not a Debian or Ubuntu system: install the equivalents of these packages yourself:" >&2
		echo "  $pkgs" >&2
		echo "(Fedora: gcc libXcursor-devel libXrandr-devel mesa-libGL-devel libXi-devel libXinerama-devel libXxf86vm-devel)" >&2
	fi
	;;
Darwin)
	if ! xcode-select -p >/dev/null 2>&1; then
		echo "Installing the Xcode command line tools (the C compiler Fyne needs)."
		xcode-select --install
		echo "Run make again when that installer has finished."
		exit 1
	fi
	;;
MINGW* | MSYS* | CYGWIN*)
	if ! command -v gcc >/dev/null 2>&1; then
		echo "Fyne needs a C compiler: install MSYS2 (https://www.msys2.org), then" >&2
		echo "  pacman -S mingw-w64-x86_64-gcc" >&2
		echo "and run make from the MSYS2 MinGW 64-bit shell." >&2
		exit 1
	fi
	;;
esac
