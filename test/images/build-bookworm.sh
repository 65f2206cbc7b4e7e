#!/usr/bin/env bash
# Builds the Debian bookworm (minbase) test image from Debian's own packages and stores it as
# a docker-archive tar in the test image cache. Does nothing when the archive is already there.
set -euo pipefail

CACHE=${BULKHEAD_TEST_CACHE:-/var/cache/bulkhead-test}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
TAG=bulkhead-test/bookworm:minbase
OUT="$CACHE/bookworm.tar"

if [ -s "$OUT" ] && docker image inspect "$TAG" >/dev/null 2>&1; then
  exit 0
fi
mkdir -p "$CACHE"

if [ ! -s "$CACHE/bookworm-rootfs.tar" ]; then
  work=$(mktemp -d "$CACHE/debootstrap.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "build-bookworm: debootstrap --variant=minbase bookworm from $MIRROR" >&2
  debootstrap --variant=minbase bookworm "$work/root" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 || {
    tail -n 20 "$CACHE/debootstrap.log" >&2
    exit 1
  }
  # apt's downloaded .debs are not part of an image.
  rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
  tar -C "$work/root" --numeric-owner -cf "$CACHE/bookworm-rootfs.tar.partial" .
  mv "$CACHE/bookworm-rootfs.tar.partial" "$CACHE/bookworm-rootfs.tar"
fi

if ! docker image inspect "$TAG" >/dev/null 2>&1; then
  docker import --change 'CMD ["/bin/bash"]' "$CACHE/bookworm-rootfs.tar" "$TAG" >/dev/null
fi
docker save -o "$OUT.partial" "$TAG"
mv "$OUT.partial" "$OUT"
