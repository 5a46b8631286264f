#!/bin/sh
# Re-vendors the API documentation page's renderer: Redoc's standalone
# bundle, from the npm registry, at the version in VERSION (or the one
# given: serve/docs/vendor.sh 2.5.1). It writes redoc.standalone.js, its
# licenses and SHA256SUMS, which TestDocsChecksums checks against the bytes
# the server embeds. Never edit the vendored files by hand: run this.
set -eu
cd "$(dirname "$0")"
version=${1:-$(cat VERSION)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "redoc@$version" >/dev/null)
tar -xzf "$tmp/redoc-$version.tgz" -C "$tmp"
cp "$tmp/package/bundles/redoc.standalone.js" redoc.standalone.js
cp "$tmp/package/bundles/redoc.standalone.js.LICENSE.txt" redoc.standalone.js.LICENSE.txt
cp "$tmp/package/LICENSE" LICENSE
echo "$version" >VERSION
sha256sum redoc.standalone.js redoc.standalone.js.LICENSE.txt LICENSE >SHA256SUMS
echo "vendored redoc $version:"
cat SHA256SUMS
