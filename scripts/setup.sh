#!/usr/bin/env bash
# Installs and starts everything bulkhead's tests and demo need, then installs the npm
# dependencies. Safe to run any number of times: each step checks before it acts.
set -euo pipefail

cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }

APT_PACKAGES=(docker.io debootstrap skopeo umoci zstd tar gzip ca-certificates iptables)

install_apt_packages() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
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
  nohup dockerd >/var/log/bulkhead-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then
      return
    fi
    sleep 1
  done
  log 'dockerd did not answer within 60 s; see /var/log/bulkhead-dockerd.log'
  exit 1
}

install_npm_dependencies() {
  if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    return
  fi
  log 'installing npm dependencies'
  npm ci --no-audit --no-fund --loglevel=error
}

build_project() {
  log 'compiling TypeScript'
  npm run --silent build
}

install_apt_packages
start_dockerd
if [ -f package.json ]; then
  install_npm_dependencies
  build_project
fi
