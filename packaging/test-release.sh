#!/usr/bin/env bash
# Tests the release in dist/ as a user gets it: the .deb installed with
# apt, its command's version, its menu entry started under Xvfb with an
# empty home until the demo cards are drawn, its files, its removal; the
# .rpm's files; the Windows .exe from the zip under Wine. Run by
# `make test-release` (as root, or with sudo for apt).
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
fail() { echo "test-release: $*" >&2; exit 1; }
app=io.github.cardcatalog.CardCatalog

(cd dist && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match dist/"
deb=$(ls dist/card-catalog_*_amd64.deb)
rpm=$(ls dist/card-catalog-*.x86_64.rpm)
zip=$(ls dist/card-catalog_*_windows_amd64.zip)
ls dist/card-catalog_*_linux_amd64.tar.xz >/dev/null || fail "no tar.xz"
version=${deb#dist/card-catalog_}
version=${version%_amd64.deb}

# Installed with apt, as a person would.
$sudo apt-get install -y -qq "./$deb" >/dev/null
trap '$sudo apt-get remove -y -qq card-catalog >/dev/null 2>&1 || true' EXIT
got=$(/usr/bin/card-catalog --version)
case "$got" in "card-catalog $version (commit "*) ;; *) fail "--version says '$got', not $version" ;; esac
echo "installed: $got"
files=$(dpkg -L card-catalog)
for f in /usr/bin/card-catalog /usr/share/applications/$app.desktop /usr/share/metainfo/$app.metainfo.xml \
	/usr/share/icons/hicolor/48x48/apps/$app.png /usr/share/icons/hicolor/128x128/apps/$app.png \
	/usr/share/icons/hicolor/256x256/apps/$app.png /usr/share/icons/hicolor/512x512/apps/$app.png \
	/usr/share/icons/hicolor/scalable/apps/$app.svg; do
	grep -qx "$f" <<<"$files" || fail "the .deb does not install $f"
	[ -e "$f" ] || fail "$f is listed but missing"
done
desktop-file-validate /usr/share/applications/$app.desktop || fail "the installed .desktop entry is not valid"
appstreamcli validate --no-net /usr/share/metainfo/$app.metainfo.xml >/dev/null || fail "the installed metainfo is not valid"

# The menu entry's command starts the window; the smoke test checks the
# demo cards are drawn, with an empty home.
exec_line=$(sed -n 's/^Exec=//p' /usr/share/applications/$app.desktop)
installed=$(command -v "${exec_line%% *}") || fail "the .desktop entry's Exec ($exec_line) is not on PATH"
CARD_CATALOG_BINARY=$installed go test -count=1 -run '^TestSmokeRealWindow$' ./ui/systemtest || fail "the installed program did not draw its window"

# Removing it leaves nothing of it behind.
$sudo apt-get remove -y -qq card-catalog >/dev/null
for f in $(grep -v '^/usr/share/doc$\|^/usr/share$\|^/usr$\|^/\.$' <<<"$files"); do
	[ -d "$f" ] && continue
	[ -e "$f" ] && fail "$f is still there after removal"
done
trap - EXIT

# The .rpm holds the same files.
rpmfiles=$(rpm -qlp "$rpm" 2>/dev/null)
for f in /usr/bin/card-catalog /usr/share/applications/$app.desktop /usr/share/metainfo/$app.metainfo.xml \
	/usr/share/icons/hicolor/512x512/apps/$app.png /usr/share/icons/hicolor/scalable/apps/$app.svg; do
	grep -qx "$f" <<<"$rpmfiles" || fail "the .rpm does not hold $f"
done
rpm -qp --requires "$rpm" 2>/dev/null | grep -q libX11 || fail "the .rpm does not declare its X11 dependency"

# The Windows .exe from the zip starts under Wine and draws its window.
unzipped=$(mktemp -d)
unzip -q "$zip" -d "$unzipped"
[ -f "$unzipped/Card Catalog.exe" ] || fail "the zip holds no 'Card Catalog.exe'"
CARD_CATALOG_WINE=1 CARD_CATALOG_WINE_EXE="$unzipped/Card Catalog.exe" go test -count=1 -run '^TestWindowsPlaceUnderWine$' ./ui/systemtest ||
	fail "the Windows .exe did not draw its window under Wine"
echo "test-release: the .deb, the .rpm and the Windows zip work as installed"
