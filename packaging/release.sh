#!/usr/bin/env bash
# Builds the release into dist/: the .deb and the .rpm (nFPM), the tar.xz
# for other Linux distributions and the Windows zip (fyne package, the
# latter cross-built with MinGW), and SHA256SUMS over them. Run by
# `make release`; tracked files are left as they were (fyne bumps Build in
# FyneApp.toml: it is put back).
set -euo pipefail
cd "$(dirname "$0")/.."
tags=${TAGS:-migrated_fynedo,no_emoji,no_animations}
bin=.cache/bin
version=$(git describe --tags 2>/dev/null | sed 's/^v//') ||
	version=$(sed -n 's/^Version = "\(.*\)"/\1/p' FyneApp.toml)
[ -n "$version" ] || version=$(sed -n 's/^Version = "\(.*\)"/\1/p' FyneApp.toml)
commit=$(git rev-parse --short=12 HEAD)
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then commit="$commit+dirty"; fi
echo "Card Catalog $version (commit $commit) into dist/"

rm -rf dist
mkdir -p dist
cp FyneApp.toml .cache/FyneApp.toml.release
trap 'cp .cache/FyneApp.toml.release FyneApp.toml' EXIT
export GOFLAGS="-ldflags=-X=main.version=$version -ldflags=-X=main.commit=$commit"

# Linux: the binary for the packages, and fyne's tar.xz.
go build -tags "$tags" -trimpath -ldflags "-s -w -X=main.version=$version -X=main.commit=$commit" -o dist/card-catalog .
"$bin/fyne" package --release --tags "$tags" --app-version "$version" --name "Card Catalog"
mv "Card Catalog.tar.xz" "dist/card-catalog_${version}_linux_amd64.tar.xz"
for format in deb rpm; do
	VERSION=$version "$bin/nfpm" package --config packaging/linux/nfpm.yaml --packager $format --target dist/
done
mv dist/card-catalog-"$version"-1.x86_64.rpm dist/card-catalog-"$version".x86_64.rpm

# Windows: the .exe with its icon and version resources, in a zip.
CC=x86_64-w64-mingw32-gcc "$bin/fyne" package --os windows --release --tags "$tags" --app-version "$version" --name "Card Catalog"
mv "Card Catalog.exe" dist/
(cd dist && zip -q -9 "card-catalog_${version}_windows_amd64.zip" "Card Catalog.exe" && rm "Card Catalog.exe")

rm dist/card-catalog
(cd dist && sha256sum -- * >SHA256SUMS)
ls -l dist
