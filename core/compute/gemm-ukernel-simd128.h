// WebAssembly SIMD128 micro-kernel and W-tile packing of the packed GEMM
// (compute/gemm-packed.cpp; contract in compute/gemm-ukernel.h).
//
// SIMD128 has no FMA (relaxed-SIMD madd is unusable with this toolchain,
// docs/toolchain.md 1.2), so every step is a mul and an add, rounded
// separately. Register block: k_mr tokens x 8 outputs = 2 k_mr v128
// accumulators, plus 2 for the packed W row, 1 for the splat of X[t, k] and
// 1 for the product. V8 keeps v128 values in the 16 xmm registers and
// reserves one as scratch, so 2 k_mr + 4 <= 15. Measured in node (512
// tokens, n_in 2048 / 8192): k_mr = 4 39 / 37 GFLOP/s, 5 34 / 33, 6 33 / 30
// (spills); k_kc = 512 beats 256 and 1024.
#pragma once

#include <wasm_simd128.h>

#include <cstdint>

namespace gc::gemm_detail {
#ifndef GC_GEMM_SIMD128_MR
#define GC_GEMM_SIMD128_MR 4
#endif

struct ukernel_simd128 {
    static constexpr int k_mr = GC_GEMM_SIMD128_MR;
    static constexpr int k_nr = 8;
    static constexpr const char * k_isa = "simd128";
    // k block (gemm-packed.cpp).
    static constexpr int64_t k_kc = 512;

    // out[i, 0:8] = (cin ? cin[i, 0:8] : 0) + sum_k a[i, k] * bp[k, 0:8], i < k_mr.
    static void ukernel(int64_t kb, const float * a, int64_t lda, const float * bp, const float * cin, int64_t ldcin,
                        float * out, int64_t ldout) {
        v128_t c0[k_mr], c1[k_mr];
        for (int i = 0; i < k_mr; ++i) c0[i] = c1[i] = wasm_f32x4_splat(0.0f);
        for (int64_t k = 0; k < kb; ++k) {
            const v128_t b0 = wasm_v128_load(bp + 8 * k), b1 = wasm_v128_load(bp + 8 * k + 4);
#pragma clang loop unroll(full)
            for (int i = 0; i < k_mr; ++i) {
                const v128_t x = wasm_v128_load32_splat(a + i * lda + k);
                c0[i] = wasm_f32x4_add(c0[i], wasm_f32x4_mul(x, b0));
                c1[i] = wasm_f32x4_add(c1[i], wasm_f32x4_mul(x, b1));
            }
        }
        for (int i = 0; i < k_mr; ++i) {
            v128_t lo = c0[i], hi = c1[i];
            if (cin) {
                lo = wasm_f32x4_add(wasm_v128_load(cin + i * ldcin), lo);
                hi = wasm_f32x4_add(wasm_v128_load(cin + i * ldcin + 4), hi);
            }
            wasm_v128_store(out + i * ldout, lo);
            wasm_v128_store(out + i * ldout + 4, hi);
        }
    }

    // 4 x 4 transpose: dst[j * ldd + i] = src[i * lds + j], i, j < 4.
    static void transpose_4x4(const float * src, int64_t lds, float * dst, int64_t ldd) {
        const v128_t r0 = wasm_v128_load(src), r1 = wasm_v128_load(src + lds);
        const v128_t r2 = wasm_v128_load(src + 2 * lds), r3 = wasm_v128_load(src + 3 * lds);
        const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
        const v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
        wasm_v128_store(dst + 0 * ldd, wasm_i64x2_shuffle(t0, t2, 0, 2));
        wasm_v128_store(dst + 1 * ldd, wasm_i64x2_shuffle(t0, t2, 1, 3));
        wasm_v128_store(dst + 2 * ldd, wasm_i64x2_shuffle(t1, t3, 0, 2));
        wasm_v128_store(dst + 3 * ldd, wasm_i64x2_shuffle(t1, t3, 1, 3));
    }

    // One full panel: bp[k, j] = w[j, k] for 8 rows j of stride ldw, k < kb.
    static void pack_panel_full(const float * w, int64_t ldw, int64_t kb, float * bp) {
        int64_t k = 0;
        for (; k + 4 <= kb; k += 4) {
            transpose_4x4(w + k, ldw, bp + k * 8, 8);
            transpose_4x4(w + 4 * ldw + k, ldw, bp + k * 8 + 4, 8);
        }
        for (; k < kb; ++k)
            for (int j = 0; j < 8; ++j) bp[k * 8 + j] = w[j * ldw + k];
    }
};

} // namespace gc::gemm_detail
