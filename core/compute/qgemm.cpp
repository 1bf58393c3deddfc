// The integer GEMM driver (contract in compute/qgemm.h, micro-kernels and
// data layout in compute/qgemm-ukernel.h).
//
// Per tile: for each panel of k_nr weight rows, unpack the rows' blocks to
// int16 (quant/int-unpack.h) and interleave them into the panel layout
// (pairs of consecutive weights of the k_nr rows side by side); then run the
// micro-kernel over all token blocks of k_mr rows, each over the whole
// n_in. A panel is n_in * k_nr int16 (64 KiB at n_in 2048, k_nr 16): it
// stays in L2 while the activations stream past it. Partial panels (fewer
// than k_nr rows) are zero-padded; only the valid columns are written.
#include "compute/qgemm.h"

#include <algorithm>
#include <cstring>
#if defined(__x86_64__) && !defined(__wasm__)
#include <cpuid.h>
#endif

#include "compute/qgemm-ukernel.h"
#include "compute/thread-pool.h"
#include "format/ggml-types.h"
#include "quant/int-unpack.h"

namespace gc {

using qgemm_detail::qacts_rows;
using qgemm_detail::qpanel;

bool qgemm_supported(uint32_t t) { return int_unpack_info_for(t).supported; }

// AVX-VNNI (CPUID leaf 7 sub-leaf 1, EAX bit 4), checked once: the x86-64-v3
// build runs qukernel_avx512vnni, else qukernel_avxvnni, where the CPU has
// it (the same bits as qukernel_avx2: tests/native/test-qgemm.cpp).
#if defined(__AVX2__) && defined(__FMA__) && defined(__x86_64__) && !defined(__wasm__)
#define GC_QGEMM_AVXVNNI 1
bool cpu_has_avxvnni() {
    static const bool has = [] {
        unsigned a = 0, b = 0, c = 0, d = 0;
        return __get_cpuid_count(7, 1, &a, &b, &c, &d) && ((a >> 4) & 1) != 0;
    }();
    return has;
}
// AVX512F + AVX512BW + AVX512-VNNI, with the OS saving zmm state
// (__builtin_cpu_supports checks XCR0 as well as CPUID).
bool cpu_has_avx512vnni() {
    static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                            __builtin_cpu_supports("avx512vnni");
    return has;
}
#else
#define GC_QGEMM_AVXVNNI 0
#endif

const char * qgemm_isa() {
#if GC_QGEMM_AVXVNNI
    if (cpu_has_avx512vnni()) return qgemm_detail::qukernel_avx512vnni::k_isa;
    if (cpu_has_avxvnni()) return qgemm_detail::qukernel_avxvnni::k_isa;
#endif
    return qgemm_detail::qukernel_isa::k_isa;
}

// Token rows are padded to a multiple of this (every kernel's k_mr divides it).
constexpr int64_t k_tok_pad = 4;
static_assert(qgemm_detail::qukernel_isa::k_mr == k_tok_pad && qgemm_detail::qukernel_scalar::k_mr == k_tok_pad,
              "token padding must match the kernels' k_mr");

void qgemm_acts_build(uint32_t t, const float * x, int64_t n_tok, int64_t n_in, thread_pool * pool, qgemm_acts & a) {
    const int_unpack_info info = int_unpack_info_for(t);
    a.weight_type = t;
    a.format = info.act;
    a.n_tok = n_tok;
    a.n_in = n_in;
    a.n_tok_pad = (n_tok + k_tok_pad - 1) / k_tok_pad * k_tok_pad;
    a.block = act_format_block(info.act);
    const int64_t nb = n_in / a.block, ns = n_in / 32;
    a.q.assign((size_t) (a.n_tok_pad * n_in), 0);
    a.d.assign((size_t) (a.n_tok_pad * nb), 0.0f);
    a.s.assign(info.has_mins ? (size_t) (a.n_tok_pad * ns) : 0, 0);
    // Rows in blocks of 8 on the pool; each row depends on itself only.
    const int64_t n_items = (n_tok + 7) / 8;
    parallel_for(pool, n_items, [&](int64_t item, int) {
        std::vector<int8_t> q8((size_t) n_in);
        std::vector<int16_t> bs((size_t) (n_in / 16 + 1));
        std::vector<float> s1((size_t) nb);
        for (int64_t r = item * 8; r < std::min(n_tok, item * 8 + 8); ++r) {
            const float * xr = x + r * n_in;
            float * dr = a.d.data() + r * nb;
            if (info.act == act_format::q8_K) act_quantize_row_q8_K(xr, n_in, q8.data(), dr, bs.data());
            else act_quantize_row_q8_0(xr, n_in, q8.data(), dr);
            int16_t * qr = a.q.data() + r * n_in;
            for (int64_t k = 0; k < n_in; ++k) qr[k] = q8[(size_t) k];
            if (info.has_mins) {
                int16_t * sr = a.s.data() + r * ns;
                for (int64_t j = 0; j < ns; ++j) sr[j] = (int16_t) (bs[(size_t) (2 * j)] + bs[(size_t) (2 * j + 1)]);
            }
        }
    });
}

namespace {

template <class K>
void qgemm_tile_k(const qgemm_acts & a, const uint8_t * w, int64_t n_rows, float * y, int64_t ldy, qgemm_scratch & s) {
    constexpr int NR = K::k_nr, MR = K::k_mr;
    if (n_rows <= 0 || a.n_tok <= 0) return;
    const uint32_t t = a.weight_type;
    const int_unpack_info info = int_unpack_info_for(t);
    const int64_t n_in = a.n_in, L = info.block, nb = n_in / L;
    const uint64_t row_bytes = (uint64_t) (nb * info.type_size);
    s.q.resize((size_t) (n_in * NR));
    s.d.resize((size_t) (nb * NR));
    s.row.resize((size_t) n_in);
    s.drow.resize((size_t) nb);
    if (info.has_mins) {
        s.m.resize((size_t) (nb * 8 * NR));
        s.dm.resize((size_t) (nb * NR));
        s.mrow.resize((size_t) (nb * 8));
        s.dmrow.resize((size_t) nb);
    }
    qpanel p;
    p.q = s.q.data();
    p.d = s.d.data();
    p.m = info.has_mins ? s.m.data() : nullptr;
    p.dm = info.has_mins ? s.dm.data() : nullptr;
    qacts_rows ar;
    ar.ldq = n_in;
    ar.ldd = nb;
    ar.lds = n_in / 32;
    alignas(64) float out[MR * NR];
    for (int64_t r0 = 0; r0 < n_rows; r0 += NR) {
        const int nr = (int) std::min<int64_t>(NR, n_rows - r0);
        // Pack the panel: row r's pair (2i, 2i + 1) goes to q[(i * NR + r) * 2].
        for (int r = 0; r < NR; ++r) {
            if (r < nr) {
                int_unpack_row(t, w + (uint64_t) (r0 + r) * row_bytes, n_in, s.row.data(), s.drow.data(),
                               info.has_mins ? s.mrow.data() : nullptr, info.has_mins ? s.dmrow.data() : nullptr);
            } else {
                std::fill(s.row.begin(), s.row.end(), 0);
                std::fill(s.drow.begin(), s.drow.end(), 0.0f);
                std::fill(s.mrow.begin(), s.mrow.end(), 0);
                std::fill(s.dmrow.begin(), s.dmrow.end(), 0.0f);
            }
            // (pairs copied as 4 bytes; memcpy keeps the int16 buffers' type)
            const int16_t * src = s.row.data();
            int16_t * dst = s.q.data() + 2 * r;
            for (int64_t i = 0; i < n_in / 2; ++i) std::memcpy(dst + i * 2 * NR, src + 2 * i, 4);
            for (int64_t b = 0; b < nb; ++b) s.d[(size_t) (b * NR + r)] = s.drow[(size_t) b];
            if (info.has_mins) {
                const int16_t * msrc = s.mrow.data();
                int16_t * mdst = s.m.data() + 2 * r;
                for (int64_t i = 0; i < nb * 4; ++i) std::memcpy(mdst + i * 2 * NR, msrc + 2 * i, 4);
                for (int64_t b = 0; b < nb; ++b) s.dm[(size_t) (b * NR + r)] = s.dmrow[(size_t) b];
            }
        }
        for (int64_t t0 = 0; t0 < a.n_tok; t0 += MR) {
            ar.q = a.q.data() + t0 * n_in;
            ar.d = a.d.data() + t0 * nb;
            ar.s = info.has_mins ? a.s.data() + t0 * (n_in / 32) : nullptr;
            const int mt = (int) std::min<int64_t>(MR, a.n_tok - t0);
            K::ukernel(nb, L / 2, p, ar, out);
            for (int i = 0; i < mt; ++i) std::memcpy(y + (t0 + i) * ldy + r0, out + i * NR, (size_t) nr * sizeof(float));
        }
    }
}

} // namespace

void qgemm_tile(const qgemm_acts & a, const uint8_t * w, int64_t n_rows, float * y, int64_t ldy, qgemm_scratch & s) {
#if GC_QGEMM_AVXVNNI
    if (cpu_has_avx512vnni()) {
        qgemm_tile_k<qgemm_detail::qukernel_avx512vnni>(a, w, n_rows, y, ldy, s);
        return;
    }
    if (cpu_has_avxvnni()) {
        qgemm_tile_k<qgemm_detail::qukernel_avxvnni>(a, w, n_rows, y, ldy, s);
        return;
    }
#endif
    qgemm_tile_k<qgemm_detail::qukernel_isa>(a, w, n_rows, y, ldy, s);
}

void qgemm_tile_base(const qgemm_acts & a, const uint8_t * w, int64_t n_rows, float * y, int64_t ldy, qgemm_scratch & s) {
    qgemm_tile_k<qgemm_detail::qukernel_isa>(a, w, n_rows, y, ldy, s);
}

const char * qgemm_base_isa() { return qgemm_detail::qukernel_isa::k_isa; }

void qgemm_tile_scalar(const qgemm_acts & a, const uint8_t * w, int64_t n_rows, float * y, int64_t ldy,
                       qgemm_scratch & s) {
    qgemm_tile_k<qgemm_detail::qukernel_scalar>(a, w, n_rows, y, ldy, s);
}

} // namespace gc
