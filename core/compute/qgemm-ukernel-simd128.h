// WebAssembly SIMD128 micro-kernel of the integer GEMM (contract and data
// layout in compute/qgemm-ukernel.h). Block: 4 tokens x 8 rows. Per weight
// pair position: 2 v128 of the panel (8 rows x 2 int16), and per token a
// 32-bit splat of its activation pair and 2 i32x4.dot_i16x8_s + 2 i32x4.add
// (8 MACs per instruction, against 4 per f32x4 mul + add). 8 int32 + 8 float
// accumulators, 2 weights, 1 splat: 19 v128 values, of which the float
// accumulators are touched only at block ends. Float combination as the
// scalar kernel (mul then add: SIMD128 has no FMA), so the two agree up to
// summation order inside nothing: the same bits.
#pragma once

#include <wasm_simd128.h>

#include <cstdint>
#include <cstring>

namespace gc::qgemm_detail {

struct qukernel_simd128 {
    static constexpr int k_mr = 4;
    static constexpr int k_nr = 8;
    static constexpr const char * k_isa = "simd128";

    static inline v128_t splat_pair(const int16_t * p) {
        int32_t v;
        std::memcpy(&v, p, sizeof v);
        return wasm_i32x4_splat(v);
    }

    static void ukernel(int64_t n_blocks, int64_t bp, const qpanel & w, const qacts_rows & a, float * out) {
        v128_t f[k_mr][2];
        for (int t = 0; t < k_mr; ++t) f[t][0] = f[t][1] = wasm_f32x4_splat(0.0f);
        const int16_t * wq = w.q;
        const int16_t * x0 = a.q;
        const int16_t * x1 = a.q + a.ldq;
        const int16_t * x2 = a.q + 2 * a.ldq;
        const int16_t * x3 = a.q + 3 * a.ldq;
        for (int64_t b = 0; b < n_blocks; ++b) {
            v128_t c00 = wasm_i32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
            for (int64_t p = 0; p < bp; ++p, wq += 16, x0 += 2, x1 += 2, x2 += 2, x3 += 2) {
                const v128_t w0 = wasm_v128_load(wq), w1 = wasm_v128_load(wq + 8);
                v128_t x;
                x = splat_pair(x0);
                c00 = wasm_i32x4_add(c00, wasm_i32x4_dot_i16x8(w0, x));
                c01 = wasm_i32x4_add(c01, wasm_i32x4_dot_i16x8(w1, x));
                x = splat_pair(x1);
                c10 = wasm_i32x4_add(c10, wasm_i32x4_dot_i16x8(w0, x));
                c11 = wasm_i32x4_add(c11, wasm_i32x4_dot_i16x8(w1, x));
                x = splat_pair(x2);
                c20 = wasm_i32x4_add(c20, wasm_i32x4_dot_i16x8(w0, x));
                c21 = wasm_i32x4_add(c21, wasm_i32x4_dot_i16x8(w1, x));
                x = splat_pair(x3);
                c30 = wasm_i32x4_add(c30, wasm_i32x4_dot_i16x8(w0, x));
                c31 = wasm_i32x4_add(c31, wasm_i32x4_dot_i16x8(w1, x));
            }
            const v128_t c[k_mr][2] = { { c00, c01 }, { c10, c11 }, { c20, c21 }, { c30, c31 } };
            v128_t cm[k_mr][2];
            if (w.m) {
                for (int t = 0; t < k_mr; ++t) cm[t][0] = cm[t][1] = wasm_i32x4_splat(0);
                const int16_t * wm = w.m + b * 4 * 16;
                for (int p = 0; p < 4; ++p) {
                    const v128_t m0 = wasm_v128_load(wm + p * 16), m1 = wasm_v128_load(wm + p * 16 + 8);
                    for (int t = 0; t < k_mr; ++t) {
                        const v128_t s = splat_pair(a.s + t * a.lds + b * 8 + 2 * p);
                        cm[t][0] = wasm_i32x4_add(cm[t][0], wasm_i32x4_dot_i16x8(m0, s));
                        cm[t][1] = wasm_i32x4_add(cm[t][1], wasm_i32x4_dot_i16x8(m1, s));
                    }
                }
            }
            const v128_t d0 = wasm_v128_load(w.d + b * 8), d1 = wasm_v128_load(w.d + b * 8 + 4);
            for (int t = 0; t < k_mr; ++t) {
                const v128_t dx = wasm_f32x4_splat(a.d[t * a.ldd + b]);
                f[t][0] = wasm_f32x4_add(f[t][0], wasm_f32x4_mul(wasm_f32x4_convert_i32x4(c[t][0]), wasm_f32x4_mul(d0, dx)));
                f[t][1] = wasm_f32x4_add(f[t][1], wasm_f32x4_mul(wasm_f32x4_convert_i32x4(c[t][1]), wasm_f32x4_mul(d1, dx)));
                if (w.m) {
                    const v128_t m0 = wasm_v128_load(w.dm + b * 8), m1 = wasm_v128_load(w.dm + b * 8 + 4);
                    f[t][0] = wasm_f32x4_sub(f[t][0], wasm_f32x4_mul(wasm_f32x4_convert_i32x4(cm[t][0]), wasm_f32x4_mul(m0, dx)));
                    f[t][1] = wasm_f32x4_sub(f[t][1], wasm_f32x4_mul(wasm_f32x4_convert_i32x4(cm[t][1]), wasm_f32x4_mul(m1, dx)));
                }
            }
        }
        for (int t = 0; t < k_mr; ++t) {
            wasm_v128_store(out + t * k_nr, f[t][0]);
            wasm_v128_store(out + t * k_nr + 4, f[t][1]);
        }
    }
};

} // namespace gc::qgemm_detail
