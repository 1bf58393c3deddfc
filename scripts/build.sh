#!/usr/bin/env bash
# Builds everything, incrementally (idempotent: a second run only checks):
#   build/native   native core, `ggufcheck` CLI, native tests   (cmake + ninja)
#   build/eigen3   Eigen patched for wasm SIMD (scripts/patch-eigen.sh)
#   build/wasm     ggufcheck.mjs + ggufcheck.wasm               (emcmake cmake + ninja)
#   build/wasm-mt  ggufcheck-mt.{mjs,wasm,worker.js}: the pthreads build (GC_WASM_THREADS)
#   dist/          the static site: index.html, app.js, worker.js, wasm, sample
#
#   scripts/build.sh [native|wasm|web]...     (default: all three)
#   JOBS=N                                    parallel compile jobs (default 2)
#   GC_BUILD_DIR=DIR                          build root instead of build/
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=${JOBS:-2}
B=${GC_BUILD_DIR:-build}
export GC_BUILD_DIR=$B
log() { printf '[build] %s\n' "$*"; }

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(native wasm web)

build_native() {
    log "native: cmake -B $B/native (Release)"
    [ -f "$B/native/build.ninja" ] || cmake -S . -B "$B/native" -G Ninja -DCMAKE_BUILD_TYPE=Release
    cmake --build "$B/native" -j "$jobs"
}

build_wasm() {
    # emcc needs Debian's node modules (acorn) on NODE_PATH.
    export NODE_PATH=/usr/share/nodejs
    scripts/patch-eigen.sh "$B/eigen3"
    local dir threads
    for dir in wasm wasm-mt; do
        threads=OFF
        [ "$dir" = wasm-mt ] && threads=ON
        log "wasm: emcmake cmake -B $B/$dir (GC_WASM_THREADS=$threads)"
        [ -f "$B/$dir/build.ninja" ] || emcmake cmake -S . -B "$B/$dir" -G Ninja \
            -DCMAKE_BUILD_TYPE=Release -DGC_EIGEN_DIR="$(cd "$B" && pwd)/eigen3" -DGC_WASM_THREADS=$threads
        cmake --build "$B/$dir" -j "$jobs"
    done
}

build_web() {
    log "web: esbuild bundle into dist/"
    node scripts/build-web.mjs
}

for s in "${steps[@]}"; do
    case "$s" in
        native) build_native ;;
        wasm) build_wasm ;;
        web) build_web ;;
        *) echo "unknown step: $s (native|wasm|web)"; exit 2 ;;
    esac
done
log "done: ${steps[*]}"
