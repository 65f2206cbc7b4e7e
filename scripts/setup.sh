#!/usr/bin/env bash
# Installs and starts everything bulkhead's tests and demo need, then installs the npm
# dependencies. Safe to run any number of times: each step checks before it acts.
set -euo pipefail

cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }

# Tools the tests and the demo use (bpftrace for the runtime sensor), and what better-sqlite3 needs to compile when no prebuilt
# binary can be downloaded.
APT_PACKAGES=(debootstrap skopeo umoci zstd tar gzip ca-certificates iptables python3 make g++ bpftrace)

check_node() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -lt 20 ]; then
    log "Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none))"
    exit 1
  fi
}

install_apt_packages() {
  local wanted=("${APT_PACKAGES[@]}") missing=()
  # Any working Docker engine will do (Docker CE included); install Debian's only when there is
  # none, since docker.io conflicts with Docker CE's packages.
  if ! command -v dockerd >/dev/null 2>&1 && ! docker info >/dev/null 2>&1; then
    wanted+=(docker.io)
  fi
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return
  fi
  log "installing ${missing[*]}"
  # A source that cannot be reached must not stop the others from refreshing.
  apt-get update -qq || log 'apt-get update reported errors; continuing with the lists it fetched'
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

start_dockerd() {
  if docker info >/dev/null 2>&1; then
    return
  fi
  log 'starting dockerd in the background (log: /var/log/bulkhead-dockerd.log)'
  # In its own session, so that Ctrl-C on the test run does not stop the engine.
  setsid nohup dockerd >/var/log/bulkhead-dockerd.log 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then
      return
    fi
    sleep 1
  done
  log 'dockerd did not answer within 60 s; see /var/log/bulkhead-dockerd.log'
  exit 1
}

# The eBPF sensor's tracepoints live in tracefs; some machines boot without it mounted.
mount_tracefs() {
  if [ -d /sys/kernel/tracing/events ]; then
    return
  fi
  mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null ||
    log 'could not mount tracefs at /sys/kernel/tracing; runtime sensor tests will be skipped'
}

install_npm_dependencies() {
  if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    return
  fi
  log 'installing npm dependencies'
  npm ci --no-audit --no-fund --loglevel=error >&2
}

build_project() {
  log 'compiling TypeScript'
  npm run --silent build >&2
}

check_node
install_apt_packages
mount_tracefs
start_dockerd
if [ -f package.json ]; then
  install_npm_dependencies
  build_project
fi
