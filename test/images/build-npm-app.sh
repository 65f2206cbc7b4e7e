#!/usr/bin/env bash
# Builds the npm application test image on top of the bookworm test image and stores it as a
# docker-archive tar in the test image cache. Rebuilds only when its inputs change.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${BULKHEAD_TEST_CACHE:-/var/cache/bulkhead-test}
TAG=bulkhead-test/npm-app:1
OUT="$CACHE/npm-app.tar"
# The one Debian package the image adds in a layer of its own.
DEB_PACKAGES=(less)

bash "$HERE/build-bookworm.sh"

base_id=$(docker image inspect -f '{{.Id}}' bulkhead-test/bookworm:minbase)
key=$( (cat "$HERE/npm-app/Dockerfile" "$HERE/npm-app/package.json" "$HERE/npm-app/package-lock.json" \
  "$HERE/build-npm-app.sh" && echo "$base_id") | sha256sum | cut -c1-16)
if [ -s "$OUT" ] && [ "$(cat "$OUT.key" 2>/dev/null)" = "$key" ] && docker image inspect "$TAG" >/dev/null 2>&1; then
  exit 0
fi

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/app" "$ctx/debs"
cp "$HERE/npm-app/Dockerfile" "$ctx/"
cp "$HERE/npm-app/package.json" "$HERE/npm-app/package-lock.json" "$ctx/app/"
echo 'build-npm-app: npm ci (real packages from the npm registry)' >&2
(cd "$ctx/app" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
echo "build-npm-app: apt-get download ${DEB_PACKAGES[*]}" >&2
(cd "$ctx/debs" && apt-get download -qq "${DEB_PACKAGES[@]}" 2>/dev/null) || {
  apt-get update -qq || true
  (cd "$ctx/debs" && apt-get download -qq "${DEB_PACKAGES[@]}")
}
docker build -q --network none -t "$TAG" "$ctx" >/dev/null
docker save -o "$OUT.partial" "$TAG"
mv "$OUT.partial" "$OUT"
echo "$key" >"$OUT.key"
