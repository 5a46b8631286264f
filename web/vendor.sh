#!/usr/bin/env bash
# Re-vendors uPlot into web/static/uplot from the npm registry, at the exact
# version below: the minified browser build, its stylesheet and its license,
# and SHA256SUMS of the three (checked by web's tests). Never edit the
# vendored files by hand: change the version here and run this script.
set -euo pipefail
version=1.6.32
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "uplot@$version" >/dev/null && tar xzf "uplot-$version.tgz")
out=static/uplot
rm -rf "$out"
mkdir -p "$out"
cp "$tmp/package/dist/uPlot.iife.min.js" "$tmp/package/dist/uPlot.min.css" "$tmp/package/LICENSE" "$out/"
echo "$version" >"$out/VERSION"
(cd "$out" && sha256sum LICENSE uPlot.iife.min.js uPlot.min.css >SHA256SUMS)
echo "vendored uPlot $version into web/$out"
