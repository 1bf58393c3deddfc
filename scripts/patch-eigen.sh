#!/usr/bin/env bash
# Makes a copy of Debian's Eigen 3.4.0 whose SSE packet path compiles with
# Emscripten's SSE->SIMD128 headers (-msse4.2), so Eigen vectorizes in wasm.
# Stock Eigen fails there for three reasons (measured, see
# ../shared/docs/toolchain.md §2):
#   1. PacketMath.h uses x86 inline asm for pmin/pmax when clang reports an
#      old __GNUC__;
#   2. GeneralBlockPanelKernel.h has an x86 register-spill asm workaround;
#   3. ConfigureVectorization.h includes <mmintrin.h> (MMX), which has no
#      wasm counterpart.
# Each is disabled under __EMSCRIPTEN__ only; native builds use /usr/include/eigen3.
#
#   scripts/patch-eigen.sh OUT_DIR      (idempotent: does nothing if OUT_DIR/.patched exists)
set -euo pipefail
out=${1:?usage: patch-eigen.sh OUT_DIR}
src=/usr/include/eigen3
if [ -f "$out/.patched" ]; then
    echo "[eigen] $out already patched"
    exit 0
fi
[ -f "$src/Eigen/Core" ] || { echo "[eigen] $src not found (apt-get install libeigen3-dev)"; exit 1; }
echo "[eigen] copying $src to $out and patching it for wasm SIMD"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
cp -r "$src" "$out"

patch_line() {   # file, sed expression, text that must appear afterwards
    sed -i "$2" "$out/$1"
    grep -q "$3" "$out/$1" || { echo "[eigen] patch did not apply to $1 (Eigen version changed?)"; exit 1; }
}
patch_line Eigen/src/Core/arch/SSE/PacketMath.h \
    's/#if EIGEN_COMP_GNUC && EIGEN_COMP_GNUC < 63/& \&\& !defined(__EMSCRIPTEN__)/' \
    'EIGEN_COMP_GNUC < 63 && !defined(__EMSCRIPTEN__)'
patch_line Eigen/src/Core/products/GeneralBlockPanelKernel.h \
    's/#if EIGEN_GNUC_AT_LEAST(6,0) && defined(EIGEN_VECTORIZE_SSE)/& \&\& !defined(__EMSCRIPTEN__)/' \
    'EIGEN_VECTORIZE_SSE) && !defined(__EMSCRIPTEN__)'
patch_line Eigen/src/Core/util/ConfigureVectorization.h \
    's|^\(\s*\)#include <mmintrin.h>|\1#ifndef __EMSCRIPTEN__\n\1#include <mmintrin.h>\n\1#endif|' \
    '#ifndef __EMSCRIPTEN__'
touch "$out/.patched"
