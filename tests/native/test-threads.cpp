// Threads must not change any number: the thread pool's contract, and PPL /
// KLD / hidden-state cosines bit-identical for 1, 2 and 3 threads (small
// weight tiles so that the tiny fixtures have many row tiles and head
// groups per matrix, i.e. the threaded paths really split work).
#include <atomic>
#include <cstdio>
#include <thread>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caller-only-source.h"
#include "cli-util.h"
#include "compute/thread-pool.h"
#include "io/byte-source.h"
#include "model-util.h"
#include "forward/forward.h"
#include "forward/ppl.h"
#include "model/model.h"

using namespace gc;

namespace {

const std::string k_fix = GC_FIXTURES;
const std::string k_tokens = gc_test::fixture_tokens_path();
using gc_test::fixture_tokens;
using loaded = gc_test::loaded_model;
constexpr auto load = [](const std::string & path) { return gc_test::load_model(path); };

ppl_result run(const std::string & path, const std::string & ref_path, int threads, int64_t tile_floats,
               int32_t batch_chunks) {
    auto m = load(path);
    std::unique_ptr<loaded> r;
    if (!ref_path.empty()) r = load(ref_path);
    ppl_options opt;
    opt.n_ctx = 128;
    opt.max_chunks = 4;
    opt.batch_chunks = batch_chunks;
    opt.n_threads = threads;
    opt.tile_floats = tile_floats;
    ppl_result res;
    std::string err;
    ppl_model rp = r ? r->pm() : ppl_model{};
    EXPECT_TRUE(ppl_evaluate(m->pm(), r ? &rp : nullptr, fixture_tokens(), opt, res, &err)) << err;
    return res;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void expect_identical(const ppl_result & a, const ppl_result & b, const char * what) {
    SCOPED_TRACE(what);
    EXPECT_TRUE(same_bits(a.ppl, b.ppl)) << a.ppl << " vs " << b.ppl;
    EXPECT_TRUE(same_bits(a.ppl_err, b.ppl_err));
    ASSERT_EQ(a.cumulative.size(), b.cumulative.size());
    for (size_t i = 0; i < a.cumulative.size(); ++i) EXPECT_TRUE(same_bits(a.cumulative[i], b.cumulative[i]));
    for (size_t i = 0; i < a.chunk_ppl.size(); ++i) EXPECT_TRUE(same_bits(a.chunk_ppl[i], b.chunk_ppl[i]));
    EXPECT_EQ(a.bytes_read, b.bytes_read);
    ASSERT_EQ(a.has_ref, b.has_ref);
    if (!a.has_ref) return;
    EXPECT_TRUE(same_bits(a.ref_ppl, b.ref_ppl));
    EXPECT_TRUE(same_bits(a.kld.mean, b.kld.mean)) << a.kld.mean << " vs " << b.kld.mean;
    EXPECT_TRUE(same_bits(a.kld.max, b.kld.max));
    EXPECT_TRUE(same_bits(a.kld.median, b.kld.median));
    EXPECT_TRUE(same_bits(a.kld.rms_dp, b.kld.rms_dp));
    EXPECT_TRUE(same_bits(a.kld.same_top_p, b.kld.same_top_p));
    ASSERT_EQ(a.hidden_cos.size(), b.hidden_cos.size());
    for (size_t i = 0; i < a.hidden_cos.size(); ++i) {
        EXPECT_TRUE(same_bits(a.hidden_cos[i].mean, b.hidden_cos[i].mean));
        EXPECT_TRUE(same_bits(a.hidden_cos[i].min, b.hidden_cos[i].min));
    }
}

} // namespace

TEST(thread_pool, every_index_once_with_valid_worker) {
    for (int n_threads : { 1, 2, 3, 8 }) {
        thread_pool pool(n_threads);
        EXPECT_EQ(pool.size(), threads_available() ? n_threads : 1);
        for (int64_t n : { 0, 1, 2, 7, 1000 }) {
            std::vector<std::atomic<int>> hits((size_t) n);
            std::atomic<bool> bad_worker{ false };
            pool.parallel_for(n, [&](int64_t i, int w) {
                if (w < 0 || w >= pool.size()) bad_worker = true;
                hits[(size_t) i]++;
            });
            EXPECT_FALSE(bad_worker);
            for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[(size_t) i].load(), 1) << "n " << n << " i " << i;
        }
    }
    EXPECT_GE(thread_count_default(), 1);
    EXPECT_EQ(thread_pool(0).size(), thread_count_default());
}

TEST(thread_pool, nested_parallel_for_runs_inline_on_the_same_worker) {
    thread_pool pool(3);
    std::vector<std::atomic<int>> hits(20 * 5);
    std::atomic<bool> mismatch{ false };
    pool.parallel_for(20, [&](int64_t i, int w) {
        pool.parallel_for(5, [&](int64_t j, int w2) {
            if (w2 != w) mismatch = true;
            hits[(size_t) (i * 5 + j)]++;
        });
    });
    EXPECT_FALSE(mismatch);
    for (auto & h : hits) EXPECT_EQ(h.load(), 1);
}

TEST(thread_pool, reused_for_many_jobs) {
    thread_pool pool(2);
    int64_t total = 0;
    for (int job = 0; job < 2000; ++job) {
        std::vector<int64_t> out(9);
        pool.parallel_for(9, [&](int64_t i, int) { out[(size_t) i] = i * job; });
        for (int64_t v : out) total += v;
    }
    EXPECT_EQ(total, 36ll * (1999ll * 2000 / 2));
}

// Small tiles: g4tiny's matrices split into many row tiles and the head into
// many vocab groups, so 2 and 3 threads really interleave the work.
TEST(threads, ppl_and_kld_bit_identical_for_1_2_3_threads) {
    const std::string cand = k_fix + "/g4tiny/g4tiny-Q4_K_M.gguf", ref = k_fix + "/g4tiny/g4tiny-f32.gguf";
    const ppl_result r1 = run(cand, ref, 1, 4096, 2);
    const ppl_result r2 = run(cand, ref, 2, 4096, 2);
    const ppl_result r3 = run(cand, ref, 3, 4096, 2);
    ASSERT_TRUE(r1.has_ref);
    ASSERT_EQ(r1.cumulative.size(), 4u);
    std::printf("g4tiny Q4_K_M vs f32, tiles of 4096 floats: PPL %.17g, KLD %.17g (1 thread)\n", r1.ppl, r1.kld.mean);
    expect_identical(r1, r2, "2 threads");
    expect_identical(r1, r3, "3 threads");
    // Sanity: the small-tile run agrees with the default tiles to float
    // summation precision (tile size changes only the summation order).
    const ppl_result d = run(cand, ref, 1, 0, 2);
    EXPECT_NEAR(d.ppl, r1.ppl, 1e-4 * r1.ppl);
    EXPECT_NEAR(d.kld.mean, r1.kld.mean, 1e-3 * r1.kld.mean + 1e-6);
}

TEST(threads, llama_ppl_bit_identical_for_1_2_3_threads) {
    const std::string m = k_fix + "/stories260K/stories260K-Q8_0.gguf";
    const ppl_result r1 = run(m, "", 1, 2048, 4);
    const ppl_result r2 = run(m, "", 2, 2048, 4);
    const ppl_result r3 = run(m, "", 3, 2048, 4);
    expect_identical(r1, r2, "2 threads");
    expect_identical(r1, r3, "3 threads");
}

TEST(threads, cli_threads_option) {
    auto out = [](const std::string & args, int & rc) {
        return gc_test::run_cli("ppl --json " + k_fix + "/g4tiny/g4tiny-Q8_0.gguf --tokens " + k_tokens + " -c 128 --chunks 3 " + args, &rc);
    };
    int rc1 = 0, rc3 = 0, rcb = 0, rcz = 0;
    const std::string a = out("-t 1", rc1), b = out("--threads 3", rc3);
    EXPECT_EQ(rc1, 0);
    EXPECT_EQ(rc3, 0);
    EXPECT_NE(a.find("\"ppl\""), std::string::npos) << a;
    EXPECT_EQ(a, b);
    out("-t x", rcb);
    out("-t 0", rcz);
    EXPECT_NE(rcb, 0);
    EXPECT_NE(rcz, 0);
}

// The browser's byte sources are JS calls that only the thread that entered
// wasm may make: with 3 threads, every weight read (layers and head, of the
// candidate and of the reference) happens on the thread that runs the
// perplexity, and the numbers stay those of one thread.
TEST(threads, weights_are_read_only_on_the_calling_thread) {
    std::atomic<int64_t> off_thread{ 0 };
    auto open = [&](const std::string & path) {
        std::string err;
        auto src = byte_source_open_file(path, &err);
        EXPECT_TRUE(src) << err;
        return gc_test::load_model_from(std::make_unique<gc_test::caller_only_source>(std::move(src), off_thread));
    };
    auto cand = open(k_fix + "/g4tiny/g4tiny-Q4_K_M.gguf"), ref = open(k_fix + "/g4tiny/g4tiny-f32.gguf");
    ppl_options opt;
    opt.n_ctx = 128;
    opt.max_chunks = 2;
    opt.n_threads = 3;
    opt.tile_floats = 4096;
    ppl_result res;
    std::string err;
    ppl_model rp = ref->pm();
    ASSERT_TRUE(ppl_evaluate(cand->pm(), &rp, fixture_tokens(), opt, res, &err)) << err;
    EXPECT_EQ(res.n_threads, threads_available() ? 3 : 1);
    EXPECT_GT(res.bytes_read, 0u);
    EXPECT_EQ(off_thread.load(), 0);
    opt.n_threads = 1;
    ppl_result one;
    ASSERT_TRUE(ppl_evaluate(cand->pm(), &rp, fixture_tokens(), opt, one, &err)) << err;
    EXPECT_TRUE(same_bits(one.ppl, res.ppl)) << one.ppl << " vs " << res.ppl;
    EXPECT_TRUE(same_bits(one.kld.mean, res.kld.mean)) << one.kld.mean << " vs " << res.kld.mean;
}
