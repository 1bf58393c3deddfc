#!/usr/bin/env bash
# Installs what the build and the tests need and is missing; does nothing when
# all is there (idempotent). Debian 12: apt packages, then `npm ci`.
#
#   scripts/setup.sh          everything (build + tests, browser included)
#   GC_SETUP_APT=0 ...        skip the apt step (a machine set up by other means)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

# What each package is for:
#   cmake ninja-build g++       the native build (core, CLI, tests)
#   libgtest-dev                native unit tests
#   libeigen3-dev               linear algebra (header-only; patched copy for wasm)
#   nlohmann-json3-dev          JSON (header-only)
#   emscripten                  the wasm build (Debian's 3.1.6, uses clang-14)
#   libclang-rt-14-dev          compiler-rt for clang-14 (emscripten's compiler)
#   chromium                    the browser the Playwright tests drive
#   nodejs npm                  web build and tests (only if node is missing)
APT_PACKAGES=(cmake ninja-build g++ libgtest-dev libeigen3-dev nlohmann-json3-dev
              emscripten libclang-rt-14-dev chromium)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

if [ "${GC_SETUP_APT:-1}" = 1 ]; then
    missing=()
    for p in "${APT_PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    if [ ${#missing[@]} -eq 0 ]; then
        log "apt: all ${#APT_PACKAGES[@]} packages present"
    else
        SUDO=()
        if [ "$(id -u)" != 0 ]; then
            command -v sudo >/dev/null 2>&1 || { log "need root (or sudo) to install: ${missing[*]}"; exit 1; }
            SUDO=(sudo)
        fi
        log "apt: installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        "${SUDO[@]}" apt-get update -q
        "${SUDO[@]}" apt-get install -y -q "${missing[@]}"
    fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
    log "warning: node $(node --version) is older than the tested 20.x"
fi

# npm ci when node_modules is missing or older than the lock file.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
    log "npm ci"
    npm ci --no-audit --no-fund
else
    log "npm: node_modules up to date"
fi
log "done"
