#!/usr/bin/env bash
# The README's first command: installs and starts what bulkhead needs, builds a real Debian
# bookworm image from Debian's packages with an npm application on top, imports the offline
# OSV mirror into the vulnerability DB, and scans the image straight from the Docker engine.
set -euo pipefail
cd "$(dirname "$0")/.."

VULNDB=${BULKHEAD_VULNDB:-$(cd .. && pwd)/shared/vulndb}
if [ ! -d "$VULNDB" ]; then
  echo "demo: no OSV mirror at $VULNDB; set BULKHEAD_VULNDB to a directory of <Ecosystem>/all.zip" >&2
  exit 2
fi

bash scripts/setup.sh
echo 'demo: building the test images (debootstrap bookworm, then an npm app layer)' >&2
bash test/images/build-npm-app.sh
echo "demo: importing the OSV mirror from $VULNDB" >&2
node bin/bulkhead.js db update --source "$VULNDB"
echo 'demo: scanning bulkhead-test/npm-app:1 from the Docker engine' >&2
node bin/bulkhead.js image bulkhead-test/npm-app:1 "$@"
