#include "compute/gemm.h"

#include <Eigen/Core>

#include "compute/gemm-ukernel.h"

namespace gc {

void gemm_xwt_ref(const float * x, int64_t n_tok, int64_t n_in,
                  const float * w, int64_t n_rows, float * y, int64_t ldy) {
    for (int64_t t = 0; t < n_tok; ++t) {
        const float * xt = x + t * n_in;
        for (int64_t c = 0; c < n_rows; ++c) {
            const float * wc = w + c * n_in;
            float sum = 0.0f;
            for (int64_t k = 0; k < n_in; ++k) sum += xt[k] * wc[k];
            y[t * ldy + c] = sum;
        }
    }
}

void gemm_xwt_eigen(const float * x, int64_t n_tok, int64_t n_in,
                    const float * w, int64_t n_rows, float * y, int64_t ldy) {
    if (n_tok <= 0 || n_rows <= 0) return;
    using row_major = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<const row_major> X(x, n_tok, n_in);
    Eigen::Map<const row_major> W(w, n_rows, n_in);
    Eigen::Map<row_major, 0, Eigen::OuterStride<>> Y(y, n_tok, n_rows, Eigen::OuterStride<>(ldy));
    Y.noalias() = X * W.transpose();
}

void gemm_xwt(const float * x, int64_t n_tok, int64_t n_in,
              const float * w, int64_t n_rows, float * y, int64_t ldy) {
#if GC_GEMM_HAVE_SIMD
    // One token: a matrix-vector product, bound by reading W once; packing
    // W would double that. Natively Eigen's GEMV is ~5x faster than the
    // packed kernel there; from 2 tokens on the packed kernel is as fast or
    // faster, natively and in wasm (tests/native/test-gemm.cpp with
    // GC_GEMM_BENCH=1, tests/wasm/bench-gemm.mjs).
    if (n_tok == 1) {
        gemm_xwt_eigen(x, n_tok, n_in, w, n_rows, y, ldy);
        return;
    }
    gemm_xwt_packed(x, n_tok, n_in, w, n_rows, y, ldy);
#else
    gemm_xwt_eigen(x, n_tok, n_in, w, n_rows, y, ldy);
#endif
}

} // namespace gc
