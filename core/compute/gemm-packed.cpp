// The packed, cache-blocked GEMM: Y[t, c] = sum_k X[t, k] W[c, k]
// (contract in compute/gemm.h, micro-kernels in compute/gemm-ukernel*.h).
//
// Shapes the forward gives it: X = all tokens' activations [n_tok, n_in]
// (512 x 2048..8192, 4-16 MiB, reused by every tile of a matrix, so it sits
// in L3), W = one tile of ~1 MiB of f32 just dequantized (in L2), Y = a
// column block of the layer's output with a large leading dimension.
//
// Blocking (GotoBLAS order, with the W tile in the role of the packed B):
//
//   for each block of mc tokens                 (one block unless the scratch
//                                                below would exceed 512 KiB)
//     for each k block [k0, k0 + kb), kb <= k_kc
//       pack W[:, k0 : k0 + kb] transposed into panels of k_nr outputs:
//           bp[p][k][j] = W[p k_nr + j, k0 + k]    (zero rows past n_rows)
//           kb x n_rows floats (kb / n_in of the tile: 512 KiB for a 1 MiB
//           tile at n_in = 2048, kb = 1024): stays in L2
//       for each panel of k_mr tokens            X rows read in place (k_mr x kb
//                                                floats, reused from L1 by all panels)
//         for each W panel p                     kb x k_nr floats, streamed from L2
//           micro-kernel: a k_mr x k_nr block of Y, all of kb in registers
//
// Partial sums over k blocks go to a contiguous scratch block C[mc, n_rows]
// (not to Y: Y's leading dimension is often a power of two, and then its
// rows fall into a few cache sets and miss on every k block); the last k
// block adds C and writes Y once. With a single k block (n_in <= k_kc) the
// kernel writes Y directly. Edge blocks (fewer than k_mr tokens, fewer than
// k_nr outputs) run the same full-size kernel on zero-padded inputs into a
// local block, of which only the valid part is written.
//
// Measured and dropped: software prefetch of the next token panel's X rows
// and Y rows (10-20 % slower than the hardware prefetchers alone).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "compute/gemm.h"
#include "compute/gemm-ukernel.h"

namespace gc {

namespace {


// The scratch block of partial sums holds at most this many floats (512 KiB);
// more tokens are processed in several token blocks (each re-packs W).
constexpr int64_t k_scratch_floats = int64_t(1) << 17;

// Per-thread buffers (gemm_xwt runs on every pool worker at once), grown on
// demand and 64-byte aligned; bounded by the caller's own matrices.
float * aligned(std::vector<float> & v, int64_t n) {
    if (v.size() < (size_t) n + 16) v.resize((size_t) n + 16);
    const uintptr_t p = reinterpret_cast<uintptr_t>(v.data());
    return reinterpret_cast<float *>((p + 63) & ~uintptr_t(63));
}

template <class K>
void gemm_packed(const float * x, int64_t n_tok, int64_t n_in, const float * w, int64_t n_rows, float * y,
                 int64_t ldy) {
    constexpr int64_t mr = K::k_mr, nr = K::k_nr, k_kc = K::k_kc;
    static_assert(k_kc % 8 == 0, "k blocks are a multiple of 8 floats");
    if (n_tok <= 0 || n_rows <= 0) return;
    if (n_in <= 0) {
        for (int64_t t = 0; t < n_tok; ++t) std::fill(y + t * ldy, y + t * ldy + n_rows, 0.0f);
        return;
    }
    const int64_t n_panels = (n_rows + nr - 1) / nr;
    const int64_t ldc = n_panels * nr;
    // Equal k blocks (n_in = 520: 2 x 264, not 512 + 8), a multiple of 8.
    const int64_t n_kb = (n_in + k_kc - 1) / k_kc;
    const int64_t kc = std::min(k_kc, ((n_in + n_kb - 1) / n_kb + 7) / 8 * 8);
    const int64_t tok_pad = (n_tok + mr - 1) / mr * mr;
    const int64_t mc = n_kb == 1 ? tok_pad : std::min(tok_pad, std::max(mr, k_scratch_floats / ldc / mr * mr));

    thread_local std::vector<float> bp_buf, a_buf, c_buf;
    float * bp = aligned(bp_buf, kc * ldc);
    float * apad = aligned(a_buf, mr * kc);
    float * cbuf = n_kb > 1 ? aligned(c_buf, mc * ldc) : nullptr;
    alignas(64) float tmp[mr * nr];

    for (int64_t tb = 0; tb < n_tok; tb += mc) {
        const int64_t t_end = std::min(n_tok, tb + mc);
        for (int64_t kbi = 0; kbi < n_kb; ++kbi) {
            const int64_t k0 = kbi * kc, kb = std::min(kc, n_in - k0);
            const bool first = kbi == 0, last = kbi == n_kb - 1;
            // Pack W[:, k0 : k0 + kb] into panels of nr outputs.
            for (int64_t p = 0; p < n_panels; ++p) {
                const int64_t c0 = p * nr, nc = std::min(nr, n_rows - c0);
                float * dst = bp + p * kb * nr;
                if (nc == nr) {
                    K::pack_panel_full(w + c0 * n_in + k0, n_in, kb, dst);
                } else {
                    for (int64_t j = 0; j < nr; ++j)
                        for (int64_t k = 0; k < kb; ++k) dst[k * nr + j] = j < nc ? w[(c0 + j) * n_in + k0 + k] : 0.0f;
                }
            }
            for (int64_t t0 = tb; t0 < t_end; t0 += mr) {
                const int64_t m = std::min(mr, t_end - t0);
                const float * a = x + t0 * n_in + k0;
                int64_t lda = n_in;
                if (m < mr) {   // last token panel: zero-padded copy
                    for (int64_t i = 0; i < mr; ++i) {
                        if (i < m) std::memcpy(apad + i * kb, a + i * n_in, (size_t) kb * sizeof(float));
                        else std::fill(apad + i * kb, apad + (i + 1) * kb, 0.0f);
                    }
                    a = apad;
                    lda = kb;
                }
                float * crow = cbuf ? cbuf + (t0 - tb) * ldc : nullptr;
                for (int64_t p = 0; p < n_panels; ++p) {
                    const float * bpp = bp + p * kb * nr;
                    float * cs = crow ? crow + p * nr : nullptr;
                    const float * cin = first ? nullptr : cs;
                    if (!last) {   // partial sums: scratch is padded, always a full block
                        K::ukernel(kb, a, lda, bpp, cin, ldc, cs, ldc);
                        continue;
                    }
                    const int64_t nc = std::min(nr, n_rows - p * nr);
                    float * yb = y + t0 * ldy + p * nr;
                    if (m == mr && nc == nr) {
                        K::ukernel(kb, a, lda, bpp, cin, ldc, yb, ldy);
                    } else {
                        K::ukernel(kb, a, lda, bpp, cin, ldc, tmp, nr);
                        for (int64_t i = 0; i < m; ++i) std::memcpy(yb + i * ldy, tmp + i * nr, (size_t) nc * sizeof(float));
                    }
                }
            }
        }
    }
}

} // namespace

const char * gemm_packed_isa() { return gemm_detail::ukernel_isa::k_isa; }

void gemm_xwt_packed(const float * x, int64_t n_tok, int64_t n_in, const float * w, int64_t n_rows, float * y,
                     int64_t ldy) {
    gemm_packed<gemm_detail::ukernel_isa>(x, n_tok, n_in, w, n_rows, y, ldy);
}

void gemm_xwt_packed_scalar(const float * x, int64_t n_tok, int64_t n_in, const float * w, int64_t n_rows, float * y,
                            int64_t ldy) {
    gemm_packed<gemm_detail::ukernel_scalar>(x, n_tok, n_in, w, n_rows, y, ldy);
}

} // namespace gc
