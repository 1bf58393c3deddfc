// Peak memory of the streaming forward on a model file several times larger
// than the bound it must stay under:
//
//     peak heap growth <= largest layer bytes + activations + 64 MiB
//
// The model is generated: a llama with 30 layers of n_embd 1024 / n_ff 2816
// (Q8_0 projections, F16 attn_output), ~430 MB on disk. Only token_embd,
// output, the norms and layer 0 hold data; layers 1..29 are holes of a sparse
// file (zeros: valid Q8_0/F16 blocks with scale 0), so the test costs little
// disk. Zero layers add exactly zero to the residual, so the PPL must equal
// that of the same model cut to its first layer: the run computes something
// real, not just reads.
//
// Heap is measured by counting every global operator new/delete of this
// process (the core's buffers are std::vectors); the process' peak RSS
// (getrusage) is checked against the same bound as a cross-check that
// catches allocations outside operator new (Eigen's aligned malloc).
#include <fcntl.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixture-util.h"

#include "forward/forward.h"
#include "forward/ppl.h"
#include "gguf-builder.h"
#include "model/model.h"

// ---- counting allocator ----------------------------------------------------

namespace {

std::atomic<int64_t> g_heap_now{ 0 }, g_heap_peak{ 0 };

void heap_add(void * p) {
    const int64_t now = g_heap_now.fetch_add((int64_t) malloc_usable_size(p)) + (int64_t) malloc_usable_size(p);
    int64_t peak = g_heap_peak.load();
    while (now > peak && !g_heap_peak.compare_exchange_weak(peak, now)) {}
}

void * heap_alloc(size_t n, size_t align) {
    void * p = nullptr;
    if (align <= alignof(std::max_align_t)) {
        p = std::malloc(n ? n : 1);
    } else if (posix_memalign(&p, align, n ? n : 1) != 0) {
        p = nullptr;
    }
    if (p) heap_add(p);
    return p;
}

void heap_free(void * p) {
    if (!p) return;
    g_heap_now.fetch_sub((int64_t) malloc_usable_size(p));
    std::free(p);
}

} // namespace

void * operator new(size_t n) {
    if (void * p = heap_alloc(n, 0)) return p;
    throw std::bad_alloc();
}
void * operator new[](size_t n) {
    if (void * p = heap_alloc(n, 0)) return p;
    throw std::bad_alloc();
}
void * operator new(size_t n, std::align_val_t a) {
    if (void * p = heap_alloc(n, (size_t) a)) return p;
    throw std::bad_alloc();
}
void * operator new[](size_t n, std::align_val_t a) {
    if (void * p = heap_alloc(n, (size_t) a)) return p;
    throw std::bad_alloc();
}
void * operator new(size_t n, const std::nothrow_t &) noexcept { return heap_alloc(n, 0); }
void * operator new[](size_t n, const std::nothrow_t &) noexcept { return heap_alloc(n, 0); }
void * operator new(size_t n, std::align_val_t a, const std::nothrow_t &) noexcept { return heap_alloc(n, (size_t) a); }
void * operator new[](size_t n, std::align_val_t a, const std::nothrow_t &) noexcept { return heap_alloc(n, (size_t) a); }
void operator delete(void * p) noexcept { heap_free(p); }
void operator delete[](void * p) noexcept { heap_free(p); }
void operator delete(void * p, size_t) noexcept { heap_free(p); }
void operator delete[](void * p, size_t) noexcept { heap_free(p); }
void operator delete(void * p, std::align_val_t) noexcept { heap_free(p); }
void operator delete[](void * p, std::align_val_t) noexcept { heap_free(p); }
void operator delete(void * p, size_t, std::align_val_t) noexcept { heap_free(p); }
void operator delete[](void * p, size_t, std::align_val_t) noexcept { heap_free(p); }
void operator delete(void * p, const std::nothrow_t &) noexcept { heap_free(p); }
void operator delete[](void * p, const std::nothrow_t &) noexcept { heap_free(p); }
void operator delete(void * p, std::align_val_t, const std::nothrow_t &) noexcept { heap_free(p); }
void operator delete[](void * p, std::align_val_t, const std::nothrow_t &) noexcept { heap_free(p); }

// AddressSanitizer keeps freed blocks in a quarantine (256 MB by default),
// so the process' RSS says nothing about the program's own peak there.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool k_rss_meaningful = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool k_rss_meaningful = false;
#else
constexpr bool k_rss_meaningful = true;
#endif
#else
constexpr bool k_rss_meaningful = true;
#endif

// ---- the generated model ---------------------------------------------------

using namespace gc;

namespace {

constexpr uint32_t T_F32 = 0, T_F16 = 1, T_Q8_0 = 8;
constexpr uint64_t D = 1024, FF = 2816, NV = 1024, HEADS = 8, KV_HEADS = 4, HD = D / HEADS;

struct tspec {
    std::string name;
    std::vector<uint64_t> ne;
    uint32_t type;
    uint64_t offset = 0, nbytes = 0;
    bool data = false;   // written (else a hole: zeros)
};

uint64_t tensor_bytes(const tspec & t) {
    uint64_t n = 1;
    for (uint64_t x : t.ne) n *= x;
    return t.type == T_F32 ? n * 4 : t.type == T_F16 ? n * 2 : n / 32 * 34;
}

// Random bytes of a tensor: Q8_0 blocks with a small f16 scale and random
// quants, f16 values of magnitude 2^-7..2^-3, F32 norms of 1.
std::vector<uint8_t> tensor_data(const tspec & t, std::mt19937 & rng) {
    std::vector<uint8_t> b(t.nbytes);
    if (t.type == T_F32) {
        const float one = 1.0f;
        for (uint64_t i = 0; i < t.nbytes; i += 4) std::memcpy(&b[i], &one, 4);
    } else if (t.type == T_F16) {
        for (uint64_t i = 0; i < t.nbytes; i += 2) {
            const uint16_t h = (uint16_t) ((rng() & 1) << 15 | (8 + rng() % 5) << 10 | (rng() & 1023));
            std::memcpy(&b[i], &h, 2);
        }
    } else {
        for (uint64_t i = 0; i < t.nbytes; i += 34) {
            const uint16_t d = 0x1819;   // ~0.002
            std::memcpy(&b[i], &d, 2);
            for (int k = 0; k < 32; ++k) b[i + 2 + k] = (uint8_t) (int8_t) ((int) (rng() % 255) - 127);
        }
    }
    return b;
}

struct model_file {
    std::vector<uint8_t> head;          // header + metadata + tensor infos (padded)
    std::vector<tspec> tensors;
    uint64_t size = 0;                  // whole file
    uint64_t largest_layer = 0;         // bytes of the largest layer's tensors
};

model_file build(uint32_t n_layer, uint32_t n_data_layers) {
    model_file m;
    auto add = [&](std::string name, std::vector<uint64_t> ne, uint32_t type, bool data) {
        m.tensors.push_back({ std::move(name), std::move(ne), type, 0, 0, data });
    };
    add("token_embd.weight", { D, NV }, T_Q8_0, true);
    add("output_norm.weight", { D }, T_F32, true);
    add("output.weight", { D, NV }, T_Q8_0, true);
    for (uint32_t il = 0; il < n_layer; ++il) {
        const std::string p = "blk." + std::to_string(il) + ".";
        const bool data = il < n_data_layers;
        add(p + "attn_norm.weight", { D }, T_F32, true);
        add(p + "attn_q.weight", { D, HEADS * HD }, T_Q8_0, data);
        add(p + "attn_k.weight", { D, KV_HEADS * HD }, T_Q8_0, data);
        add(p + "attn_v.weight", { D, KV_HEADS * HD }, T_Q8_0, data);
        add(p + "attn_output.weight", { HEADS * HD, D }, T_F16, data);
        add(p + "ffn_norm.weight", { D }, T_F32, true);
        add(p + "ffn_gate.weight", { D, FF }, T_Q8_0, data);
        add(p + "ffn_up.weight", { D, FF }, T_Q8_0, data);
        add(p + "ffn_down.weight", { FF, D }, T_Q8_0, data);
    }
    gc_test::gguf_builder b;
    b.header(m.tensors.size(), 8);
    b.kv_str("general.architecture", "llama");
    b.kv_u32("llama.block_count", n_layer);
    b.kv_u32("llama.embedding_length", (uint32_t) D);
    b.kv_u32("llama.feed_forward_length", (uint32_t) FF);
    b.kv_u32("llama.attention.head_count", (uint32_t) HEADS);
    b.kv_u32("llama.attention.head_count_kv", (uint32_t) KV_HEADS);
    b.kv_f32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    b.kv_f32("llama.rope.freq_base", 10000.0f);
    uint64_t off = 0;
    std::vector<uint64_t> layer_bytes(n_layer, 0);
    for (tspec & t : m.tensors) {
        t.nbytes = tensor_bytes(t);
        t.offset = off;
        b.tensor(t.name, t.ne, t.type, off);
        off += (t.nbytes + 31) / 32 * 32;
        if (t.name.rfind("blk.", 0) == 0) layer_bytes[std::stoul(t.name.substr(4))] += t.nbytes;
    }
    b.pad();
    m.head = b.bytes;
    m.size = m.head.size() + off;
    for (uint64_t x : layer_bytes) m.largest_layer = std::max(m.largest_layer, x);
    return m;
}

// Writes the file: header, data tensors, the rest left as holes.
bool write_sparse(const model_file & m, const std::string & path) {
    const int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (fd < 0) return false;
    bool ok = ::pwrite(fd, m.head.data(), m.head.size(), 0) == (ssize_t) m.head.size();
    std::mt19937 rng(5);
    for (const tspec & t : m.tensors) {
        if (!ok || !t.data) continue;
        const auto bytes = tensor_data(t, rng);
        ok = ::pwrite(fd, bytes.data(), bytes.size(), (off_t) (m.head.size() + t.offset)) == (ssize_t) bytes.size();
    }
    ok = ok && ::ftruncate(fd, (off_t) m.size) == 0;
    return ::close(fd) == 0 && ok;
}

int64_t max_rss_bytes() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return (int64_t) ru.ru_maxrss * 1024;
}

struct loaded {
    file_set files;
    gguf_model gguf;
    model_desc desc;
    std::unique_ptr<weight_source> weights;
};

bool load(const std::string & path, loaded & m, std::string * err) {
    auto src = byte_source_open_file(path, err);
    if (!src) return false;
    m.files.push_back(std::move(src));
    m.gguf = gguf_load(m.files);
    if (!model_desc_from_gguf(m.gguf, m.desc, err)) return false;
    m.weights = weight_source_gguf(m.gguf, m.files);
    return true;
}

} // namespace

TEST(memory_forward, peak_stays_under_layer_plus_activations_plus_64mb) {
    const uint32_t n_layer = 30;
    const model_file mf = build(n_layer, 1);
    const std::string path = gc_test::temp_path("gc-memory-llama30.gguf");
    ASSERT_TRUE(write_sparse(mf, path));

    const int32_t n_ctx = 64;
    std::vector<int32_t> tokens(2 * n_ctx);
    std::mt19937 rng(9);
    for (auto & t : tokens) t = (int32_t) (rng() % NV);
    ppl_options opt;
    opt.n_ctx = n_ctx;
    opt.batch_chunks = 2;

    const int64_t rss0 = max_rss_bytes();
    const int64_t heap0 = g_heap_now.load();
    g_heap_peak.store(heap0);
    ppl_result r;
    int64_t activations = 0;
    {
        loaded m;
        std::string err;
        ASSERT_TRUE(load(path, m, &err)) << err;
        activations = forward_floats_per_token(m.desc) * 4 * (int64_t) tokens.size();
        ASSERT_TRUE(ppl_evaluate({ &m.desc, m.weights.get() }, nullptr, tokens, opt, r, &err)) << err;
        EXPECT_GE(r.bytes_read, mf.size - mf.head.size() - (NV * D / 32 * 34));   // the whole file (but embeddings) was read
    }
    const int64_t heap_peak = g_heap_peak.load() - heap0;
    const int64_t rss_growth = max_rss_bytes() - rss0;
    const int64_t bound = (int64_t) mf.largest_layer + activations + (64ll << 20);
    std::printf("file %.1f MB, largest layer %.1f MB, activations %.1f MB, bound %.1f MB; "
                "peak heap %.1f MB, peak RSS growth %.1f MB; PPL %.4f\n",
                mf.size / 1e6, mf.largest_layer / 1e6, activations / 1e6, bound / 1e6, heap_peak / 1e6,
                rss_growth / 1e6, r.ppl);
    EXPECT_GT((int64_t) mf.size, 4 * bound) << "the model must be several times larger than the bound";
    EXPECT_LT(heap_peak, bound);
    if (k_rss_meaningful) {
        EXPECT_LT(rss_growth, bound);
    }
    EXPECT_TRUE(std::isfinite(r.ppl) && r.ppl > 1.0);

    // The same model cut to its one data layer gives the same PPL exactly:
    // the 29 zero layers add exactly 0 to the residual.
    const model_file one = build(1, 1);
    const std::string path1 = gc_test::temp_path("gc-memory-llama1.gguf");
    ASSERT_TRUE(write_sparse(one, path1));
    loaded m1;
    std::string err;
    ASSERT_TRUE(load(path1, m1, &err)) << err;
    ppl_result r1;
    ASSERT_TRUE(ppl_evaluate({ &m1.desc, m1.weights.get() }, nullptr, tokens, opt, r1, &err)) << err;
    EXPECT_EQ(r1.ppl, r.ppl);
    EXPECT_GT(std::fabs(r.ppl / (double) NV - 1.0), 1e-3);   // not the uniform distribution
    std::remove(path.c_str());
    std::remove(path1.c_str());
}
