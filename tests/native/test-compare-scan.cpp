// The weight check's threaded scan (check/compare-scan.h) and the agreement
// kernel it runs (metrics/agreement.h):
//  - the SIMD kernel equals the scalar definition bit for bit (tails, NaN/Inf,
//    -0.0), and a row's sums agree with a plain double loop;
//  - the JSON is bit-identical for 1, 2 and 3 threads, raw or decoded sides,
//    tiny or default batches, quick or full, in process and through the CLI;
//  - every byte_source read and every progress call happens on the calling
//    thread, and no read is larger than a batch (never a whole tensor);
//  - rows longer than a segment are split and folded in order;
//  - a read error is a finding, a cancel stops the scan.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "check/compare.h"
#include "check/inspect.h"
#include "check/reference.h"
#include "cli-util.h"
#include "compare-util.h"
#include "fixture-util.h"
#include "gguf-builder.h"
#include "metrics/agreement.h"
#include "metrics/cosine.h"

namespace fs = std::filesystem;

namespace {

const fs::path FX = GC_FIXTURES;

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void expect_same(const gc::agreement_sums & x, const gc::agreement_sums & y, const std::string & what) {
    EXPECT_TRUE(same_bits(x.ab, y.ab)) << what << " ab " << x.ab << " vs " << y.ab;
    EXPECT_TRUE(same_bits(x.aa, y.aa)) << what << " aa";
    EXPECT_TRUE(same_bits(x.bb, y.bb)) << what << " bb";
    EXPECT_TRUE(same_bits(x.dd, y.dd)) << what << " dd " << x.dd << " vs " << y.dd;
    EXPECT_TRUE(same_bits(x.max_abs, y.max_abs)) << what << " max_abs";
    EXPECT_EQ(x.n, y.n) << what;
    EXPECT_EQ(x.nonfinite, y.nonfinite) << what;
    EXPECT_EQ(x.identical, y.identical) << what;
}

// A byte_source that forwards to another and records, under a mutex, the
// thread of every read and the largest read; reads touching [fail_from,
// fail_to) fail.
class recording_source final : public gc::byte_source {
public:
    struct event {
        bool hint;                  // will_read, else read
        uint64_t offset, len;
    };
    struct log {
        std::mutex mu;
        std::set<std::thread::id> threads;
        uint64_t reads = 0, max_len = 0;
        std::vector<event> events;  // reads and will_read hints, in order
    };
    recording_source(std::unique_ptr<gc::byte_source> inner, log & l, uint64_t fail_from = 0, uint64_t fail_to = 0)
        : inner_(std::move(inner)), log_(l), fail_from_(fail_from), fail_to_(fail_to) {}
    uint64_t size() const override { return inner_->size(); }
    const std::string & name() const override { return inner_->name(); }
    bool read(uint64_t offset, void * dst, size_t len) override {
        {
            std::lock_guard<std::mutex> lk(log_.mu);
            log_.threads.insert(std::this_thread::get_id());
            ++log_.reads;
            log_.max_len = std::max<uint64_t>(log_.max_len, len);
            log_.events.push_back({ false, offset, len });
        }
        if (offset < fail_to_ && offset + len > fail_from_) return false;
        return inner_->read(offset, dst, len);
    }
    uint64_t bytes_fetched() const override { return inner_->bytes_fetched(); }
    void will_read(uint64_t offset, uint64_t len) override {
        std::lock_guard<std::mutex> lk(log_.mu);
        log_.events.push_back({ true, offset, len });
    }

private:
    std::unique_ptr<gc::byte_source> inner_;
    log & log_;
    uint64_t fail_from_, fail_to_;
};

gc::file_set open_set(const std::vector<fs::path> & paths, recording_source::log * l = nullptr) {
    gc::file_set set;
    for (const auto & p : paths) {
        std::string err;
        auto f = gc::byte_source_open_file(p.string(), &err);
        EXPECT_TRUE(f) << err;
        if (l) f = std::make_unique<recording_source>(std::move(f), *l);
        set.push_back(std::move(f));
    }
    return set;
}

std::vector<fs::path> st_hf() { return { FX / "stories260K" / "hf" / "config.json", FX / "stories260K" / "hf" / "model.safetensors" }; }
std::vector<fs::path> g4_hf() { return { FX / "g4tiny" / "hf" / "config.json", FX / "g4tiny" / "hf" / "model.safetensors" }; }

// A candidate and a reference, named for the trace.
struct pair_case {
    const char * what;
    std::vector<fs::path> cand, ref;
};

std::string compare_json(const std::vector<fs::path> & cand, const std::vector<fs::path> & ref, int threads, bool raw,
                         size_t block_bytes, bool quick) {
    gc::file_set c = open_set(cand), r = open_set(ref);
    gc::compare_options opt;
    opt.n_threads = threads;
    opt.block_bytes = block_bytes;
    return gc::json_dump(gc::compare_to_json(gc_test::compare_files(c, r, quick, opt, raw)), 1);
}

std::string without_bytes_read(const std::string & j) {
    nlohmann::json o = nlohmann::json::parse(j);
    o.erase("bytes_read");
    return o.dump(1);
}

// A GGUF of F32 or Q8_0 2-D tensors "blk.<i>.ffn_down.weight" (llama, no
// vocabulary). Q8_0 data is given as int8 codes with one scale for all
// blocks (f16 bits of 2^-6), so its floats are code / 64 exactly.
struct synth_tensor {
    uint64_t ne0 = 0, rows = 0;
    bool q8 = false;
    std::vector<float> f32;       // F32: the values
    std::vector<int8_t> codes;    // Q8_0: the codes
    std::vector<float> values() const {
        if (!q8) return f32;
        std::vector<float> v(codes.size());
        for (size_t i = 0; i < v.size(); ++i) v[i] = (float) codes[i] / 64.0f;
        return v;
    }
};

std::vector<uint8_t> synth_gguf(const std::vector<synth_tensor> & ts) {
    gc_test::gguf_builder b;
    b.header(ts.size(), 2);
    b.kv_str("general.architecture", "llama");
    b.kv_u32("llama.block_count", (uint32_t) ts.size());
    std::vector<uint64_t> sizes;
    uint64_t off = 0;
    for (size_t i = 0; i < ts.size(); ++i) {
        const uint64_t n = ts[i].ne0 * ts[i].rows;
        const uint64_t bytes = ts[i].q8 ? n / 32 * 34 : n * 4;
        b.tensor("blk." + std::to_string(i) + ".ffn_down.weight", { ts[i].ne0, ts[i].rows }, ts[i].q8 ? 8u : 0u, off);
        sizes.push_back(bytes);
        off += (bytes + 31) / 32 * 32;
    }
    b.pad();
    for (size_t i = 0; i < ts.size(); ++i) {
        const synth_tensor & t = ts[i];
        if (t.q8) {
            for (size_t blk = 0; blk < t.codes.size() / 32; ++blk) {
                const uint16_t d = 0x2400;   // f16 2^-6
                b.raw(&d, 2);
                b.raw(t.codes.data() + blk * 32, 32);
            }
        } else {
            b.raw(t.f32.data(), t.f32.size() * 4);
        }
        b.pad();
    }
    return b.bytes;
}

gc::compare_report compare_memory(const std::vector<uint8_t> & cand, const std::vector<uint8_t> & ref, int threads,
                                  bool raw, size_t block_bytes = 4u << 20, recording_source::log * l = nullptr) {
    gc::file_set c, r;
    c.push_back(gc::byte_source_from_memory(cand, "cand.gguf"));
    r.push_back(gc::byte_source_from_memory(ref, "ref.gguf"));
    if (l) {
        c[0] = std::make_unique<recording_source>(std::move(c[0]), *l);
        r[0] = std::make_unique<recording_source>(std::move(r[0]), *l);
    }
    gc::compare_options opt;
    opt.n_threads = threads;
    opt.block_bytes = block_bytes;
    return gc_test::compare_files(c, r, false, opt, raw);
}

} // namespace

// ---------------------------------------------------------------- kernel

TEST(AgreementKernel, FastEqualsTheDefinitionBitForBit) {
    std::printf("agreement kernel: %s\n", gc::agreement_isa());
    std::mt19937 rng(11);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    const int64_t lengths[] = { 0, 1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4095, 4096, 65535, 65536 };
    for (int64_t n : lengths) {
        for (int variant = 0; variant < 6; ++variant) {
            std::vector<float> a((size_t) n), b((size_t) n);
            for (int64_t i = 0; i < n; ++i) {
                // Magnitudes from 1e-30 to 1e30 so that rounding happens.
                const float scale = std::pow(10.0f, (float) ((i * 7919) % 61 - 30));
                a[(size_t) i] = nd(rng) * scale;
                b[(size_t) i] = variant == 1 ? a[(size_t) i] : a[(size_t) i] + 1e-3f * nd(rng) * scale;
            }
            if (variant == 2 && n > 0) {   // NaN, Inf and -Inf
                a[(size_t) (n / 2)] = std::numeric_limits<float>::quiet_NaN();
                b[(size_t) (n / 3)] = std::numeric_limits<float>::infinity();
                a[(size_t) (n - 1)] = -std::numeric_limits<float>::infinity();
            }
            if (variant == 3 && n > 0) {   // -0.0 against 0.0: equal values, different bits
                std::fill(a.begin(), a.end(), -0.0f);
                std::fill(b.begin(), b.end(), 0.0f);
            }
            if (variant == 4) {            // the largest floats: sums must not overflow
                for (int64_t i = 0; i < n; ++i) a[(size_t) i] = b[(size_t) i] = (i % 2 ? -1 : 1) * std::numeric_limits<float>::max();
            }
            if (variant == 5) {            // a - b with ~44 significant bits: (a - b)^2 rounds, and a fused add would differ
                for (int64_t i = 0; i < n; ++i) {
                    a[(size_t) i] = nd(rng);
                    b[(size_t) i] = std::ldexp(nd(rng), -20);
                }
            }
            const std::string what = "n " + std::to_string(n) + " variant " + std::to_string(variant);
            const gc::agreement_sums fast = gc::agreement_segment(a.data(), b.data(), n);
            expect_same(fast, gc::agreement_segment_ref(a.data(), b.data(), n), what);
            EXPECT_EQ(fast.identical, variant == 1 || variant == 4 || n == 0) << what;
            uint64_t bad = 0;
            for (int64_t i = 0; i < n; ++i) bad += !std::isfinite(a[(size_t) i]) || !std::isfinite(b[(size_t) i]);
            EXPECT_EQ(fast.nonfinite, bad) << what;
            if (variant == 2 && n >= 4) {
                EXPECT_GE(bad, 2u) << what;
            }
            if (variant == 4) {
                EXPECT_TRUE(std::isfinite(fast.aa)) << what;
            }
        }
    }
}

TEST(AgreementKernel, RowSumsAgreeWithAPlainDoubleLoop) {
    // 200003 elements: three full segments and a tail; a few NaNs.
    const int64_t n = 3 * gc::AGREEMENT_SEGMENT + 6395;
    std::mt19937 rng(5);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    std::vector<float> a((size_t) n), b((size_t) n);
    for (int64_t i = 0; i < n; ++i) {
        a[(size_t) i] = nd(rng);
        b[(size_t) i] = a[(size_t) i] + 0.01f * nd(rng);
    }
    a[100] = b[70000] = std::numeric_limits<float>::quiet_NaN();
    double ab = 0, aa = 0, bb = 0, dd = 0, mx = 0;
    uint64_t bad = 0;
    for (int64_t i = 0; i < n; ++i) {
        if (!std::isfinite(a[(size_t) i]) || !std::isfinite(b[(size_t) i])) {
            ++bad;
            continue;
        }
        const double x = a[(size_t) i], y = b[(size_t) i];
        ab += x * y;
        aa += x * x;
        bb += y * y;
        dd += (x - y) * (x - y);
        mx = std::max(mx, std::fabs(x - y));
    }
    const gc::agreement_sums row = gc::agreement_row(a.data(), b.data(), n);
    EXPECT_EQ(row.n, (uint64_t) n);
    EXPECT_EQ(row.nonfinite, bad);
    EXPECT_EQ(bad, 2u);
    EXPECT_NEAR(row.ab / ab, 1.0, 1e-13);
    EXPECT_NEAR(row.aa / aa, 1.0, 1e-13);
    EXPECT_NEAR(row.bb / bb, 1.0, 1e-13);
    EXPECT_NEAR(row.dd / dd, 1.0, 1e-12);
    EXPECT_EQ(row.max_abs, mx);
    // (The plain loop rounds too: ~1e-13 over 2e5 sequential additions.)
    EXPECT_NEAR(gc::cosine_from_sums(row.ab, row.aa, row.bb), gc::cosine_from_sums(ab, aa, bb), 1e-12);
    // The segments folded in order are the row.
    gc::agreement_sums folded;
    for (int64_t c = 0; c < n; c += gc::AGREEMENT_SEGMENT) {
        gc::agreement_sums_add(folded, gc::agreement_segment(a.data() + c, b.data() + c, std::min(gc::AGREEMENT_SEGMENT, n - c)));
    }
    expect_same(folded, row, "folded");
}

// ---------------------------------------------------------------- determinism

TEST(CompareScan, JsonIsIdenticalForEveryThreadCountAndMode) {
    const pair_case cases[] = {
        { "stories Q8_0 vs F32 GGUF", { FX / "stories260K" / "stories260K-Q8_0.gguf" }, { FX / "stories260K" / "stories260K-F32.gguf" } },
        { "stories Q4_K_M vs HF", { FX / "stories260K" / "stories260K-Q4_K_M.gguf" }, st_hf() },
        { "g4tiny Q4_K_M vs HF", { FX / "g4tiny" / "g4tiny-Q4_K_M.gguf" }, g4_hf() },
        { "g4tiny Q2_K vs BF16 GGUF", { FX / "g4tiny" / "g4tiny-Q2_K.gguf" }, { FX / "g4tiny" / "g4tiny-bf16.gguf" } },
    };
    for (const auto & pc : cases) {
        SCOPED_TRACE(pc.what);
        for (bool quick : { false, true }) {
            const std::string base = compare_json(pc.cand, pc.ref, 1, true, 4u << 20, quick);
            ASSERT_NE(base.find("\"verdict\""), std::string::npos);
            for (int threads : { 2, 3 }) {
                EXPECT_EQ(compare_json(pc.cand, pc.ref, threads, true, 4u << 20, quick), base) << threads << " threads, quick " << quick;
            }
            // Decoded sides (every row through read_rows), and tiny batches
            // (many batches, items across tensor boundaries): the same
            // numbers. Only bytes_read may change with the batch size: a
            // Hugging Face source reads whole heads of a permuted Q/K
            // tensor for any row range, so smaller batches re-read some.
            EXPECT_EQ(compare_json(pc.cand, pc.ref, 3, false, 4u << 20, quick), base) << "decoded, quick " << quick;
            EXPECT_EQ(without_bytes_read(compare_json(pc.cand, pc.ref, 2, true, 1024, quick)), without_bytes_read(base))
                << "tiny batches, quick " << quick;
            EXPECT_EQ(without_bytes_read(compare_json(pc.cand, pc.ref, 1, false, 1024, quick)), without_bytes_read(base))
                << "decoded tiny batches, quick " << quick;
            EXPECT_EQ(compare_json(pc.cand, pc.ref, 3, true, 1024, quick), compare_json(pc.cand, pc.ref, 1, true, 1024, quick))
                << "tiny batches, 1 vs 3 threads, quick " << quick;
        }
    }
}

TEST(CompareScan, CliJsonIsIdenticalForOneTwoThreeThreads) {
    const std::string args = (FX / "g4tiny" / "g4tiny-Q4_K_M.gguf").string() + " --ref " + (FX / "g4tiny" / "g4tiny-f32.gguf").string() + " --json";
    int rc = -1;
    const std::string one = gc_test::run_cli("compare " + args + " -t 1", &rc);
    EXPECT_EQ(rc, 0);
    ASSERT_NE(one.find("\"verdict\": \"healthy\""), std::string::npos) << one.substr(0, 400);
    EXPECT_EQ(gc_test::run_cli("compare " + args + " -t 2"), one);
    EXPECT_EQ(gc_test::run_cli("compare " + args + " -t 3"), one);
    EXPECT_EQ(gc_test::run_cli("compare " + args + " --threads 3 --stats"), one);
    gc_test::run_cli("compare " + args + " -t 0", &rc);
    EXPECT_EQ(rc, 1);   // out of range
}

// ---------------------------------------------------------------- threads contract

TEST(CompareScan, EveryReadAndProgressCallIsOnTheCallingThread) {
    const std::thread::id me = std::this_thread::get_id();
    for (bool hf : { false, true }) {
        SCOPED_TRACE(hf ? "HF reference (decoded side)" : "GGUF reference (raw sides)");
        recording_source::log cand_log, ref_log;
        gc::file_set c = open_set({ FX / "g4tiny" / "g4tiny-Q8_0.gguf" }, &cand_log);
        gc::file_set r = open_set(hf ? g4_hf() : std::vector<fs::path>{ FX / "g4tiny" / "g4tiny-f32.gguf" }, &ref_log);
        gc::compare_options opt;
        opt.n_threads = 3;
        opt.block_bytes = 4096;   // many batches
        gc::compare_scan_stats stats;
        opt.stats = &stats;
        std::set<std::thread::id> progress_threads;
        int calls = 0;
        opt.progress = [&](uint64_t, uint64_t, const std::string &) {
            progress_threads.insert(std::this_thread::get_id());
            ++calls;
            return true;
        };
        const gc::compare_report rep = gc_test::compare_files(c, r, false, opt);
        EXPECT_EQ(rep.verdict, "healthy");
        EXPECT_EQ(stats.threads, 3);
        EXPECT_GT(stats.batches, 10u);
        EXPECT_GT(calls, 10);
        EXPECT_EQ(cand_log.threads, std::set<std::thread::id>{ me });
        EXPECT_EQ(ref_log.threads, std::set<std::thread::id>{ me });
        EXPECT_EQ(progress_threads, std::set<std::thread::id>{ me });
        EXPECT_GT(cand_log.reads, 0u);
    }
}

// The scan announces what it streams (byte_source::will_read, through
// weight_source::will_read_rows for a decoded Hugging Face side): every read
// of the scan comes right after a hint that starts where the read starts and
// covers it.
TEST(CompareScan, EveryScanReadFollowsAHintThatCoversIt) {
    const pair_case cases[] = {
        { "g4tiny vs GGUF (raw sides)", { FX / "g4tiny" / "g4tiny-Q8_0.gguf" }, { FX / "g4tiny" / "g4tiny-f32.gguf" } },
        { "g4tiny vs HF (decoded side)", { FX / "g4tiny" / "g4tiny-Q8_0.gguf" }, g4_hf() },
        { "stories vs HF (decoded side, Q/K heads permuted)", { FX / "stories260K" / "stories260K-Q8_0.gguf" }, st_hf() },
    };
    for (const auto & pc : cases) {
        SCOPED_TRACE(pc.what);
        recording_source::log cand_log, ref_log;
        gc::file_set c = open_set(pc.cand, &cand_log);
        gc::file_set r = open_set(pc.ref, &ref_log);
        gc::compare_options opt;
        opt.n_threads = 2;
        opt.block_bytes = 4096;   // many batches: a tensor is read in many runs
        EXPECT_EQ(gc_test::compare_files(c, r, false, opt).verdict, "healthy");
        for (const auto * l : { &cand_log, &ref_log }) {
            SCOPED_TRACE(l == &cand_log ? "candidate" : "reference");
            size_t first_hint = 0;
            while (first_hint < l->events.size() && !l->events[first_hint].hint) ++first_hint;
            ASSERT_LT(first_hint, l->events.size()) << "no hint";
            uint64_t scan_reads = 0, hints = 0;
            for (size_t i = first_hint; i < l->events.size(); ++i) {
                const auto & e = l->events[i];
                if (e.hint) {
                    ++hints;
                    EXPECT_GT(e.len, 0u);
                    continue;
                }
                ++scan_reads;
                const auto & h = l->events[i - 1];
                ASSERT_TRUE(h.hint) << "read at " << e.offset << " without a hint before it";
                EXPECT_EQ(e.offset, h.offset);
                EXPECT_LE(e.len, h.len);
            }
            EXPECT_EQ(scan_reads, hints);
            EXPECT_GT(scan_reads, 50u);
        }
    }
}

// ---------------------------------------------------------------- long rows, memory

TEST(CompareScan, LongRowsAreSplitIntoSegmentsAndFoldedInOrder) {
    // Q8_0 candidate, F32 reference: rows of 2 segments + 96 elements, a
    // 1-row tensor of 3 segments + 32, and a short-row tensor.
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> code(-127, 127);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    const uint64_t shapes[][2] = { { 2 * (uint64_t) gc::AGREEMENT_SEGMENT + 96, 3 }, { 3 * (uint64_t) gc::AGREEMENT_SEGMENT + 32, 1 }, { 256, 40 } };
    std::vector<synth_tensor> cand, ref;
    for (const auto & s : shapes) {
        synth_tensor c{ s[0], s[1], true, {}, {} };
        c.codes.resize(s[0] * s[1]);
        for (auto & q : c.codes) q = (int8_t) code(rng);
        synth_tensor r{ s[0], s[1], false, c.values(), {} };
        for (auto & v : r.f32) v += 0.002f * nd(rng);
        cand.push_back(std::move(c));
        ref.push_back(std::move(r));
    }
    ref[0].f32[5] = std::numeric_limits<float>::infinity();   // one non-finite element
    const auto cand_bytes = synth_gguf(cand), ref_bytes = synth_gguf(ref);

    recording_source::log l;
    const gc::compare_report rep = compare_memory(cand_bytes, ref_bytes, 1, true, 4096, &l);
    ASSERT_EQ(rep.tensors.size(), 3u);
    const std::string base = gc::json_dump(gc::compare_to_json(rep), 1);
    for (int threads : { 2, 3 }) EXPECT_EQ(gc::json_dump(gc::compare_to_json(compare_memory(cand_bytes, ref_bytes, threads, true, 4096)), 1), base);
    EXPECT_EQ(gc::json_dump(gc::compare_to_json(compare_memory(cand_bytes, ref_bytes, 3, false)), 1), base);

    // The definition, applied to whole arrays in memory.
    for (size_t i = 0; i < cand.size(); ++i) {
        SCOPED_TRACE(rep.tensors[i].name);
        const std::vector<float> a = cand[i].values();
        gc::agreement acc;
        acc.add_rows(a.data(), ref[i].f32.data(), (int64_t) cand[i].rows, (int64_t) cand[i].ne0);
        const auto & t = rep.tensors[i];
        EXPECT_EQ(t.n_elements, cand[i].ne0 * cand[i].rows);
        EXPECT_EQ(t.rows_compared, (int64_t) cand[i].rows);
        EXPECT_TRUE(same_bits(t.cos, acc.cos())) << t.cos << " vs " << acc.cos();
        EXPECT_TRUE(same_bits(t.cos_row_mean, acc.cos_row_mean()));
        EXPECT_TRUE(same_bits(t.cos_row_min, acc.row_cos_min));
        EXPECT_TRUE(same_bits(t.rel_rmse, acc.rel_rmse()));
        EXPECT_TRUE(same_bits(t.max_abs, acc.max_abs));
        EXPECT_EQ(t.nonfinite, i == 0 ? 1u : 0u);
        // And a plain cosine of the flattened tensor (finite elements).
        if (i > 0) {
            EXPECT_NEAR(t.cos, gc::cosine(a.data(), ref[i].f32.data(), (int64_t) a.size()), 1e-13);
        }
    }
    // Bounded reads: a batch of 1024 elements ends with the item that
    // reaches 1024, at most a segment, so no read is larger than 1024
    // elements + a segment of F32 — far less than a whole tensor.
    EXPECT_LE(l.max_len, ((uint64_t) gc::AGREEMENT_SEGMENT + 1024) * 4) << l.max_len;
    EXPECT_LT(l.max_len, shapes[1][0] * 4 / 2);
}

// ---------------------------------------------------------------- errors, cancel

TEST(CompareScan, ReadErrorIsAFindingForItsTensorOnly) {
    const auto cand_bytes = gc_test::read_all(FX / "g4tiny" / "g4tiny-Q8_0.gguf");
    const auto [off, nbytes] = gc_test::tensor_range(cand_bytes, "blk.1.ffn_up.weight");
    std::string base;
    for (int threads : { 1, 3 }) {
        recording_source::log l;
        gc::file_set c, r = open_set({ FX / "g4tiny" / "g4tiny-f32.gguf" });
        c.push_back(std::make_unique<recording_source>(gc::byte_source_from_memory(cand_bytes, "cand.gguf"), l, off + nbytes / 2, off + nbytes / 2 + 1));
        gc::compare_options opt;
        opt.n_threads = threads;
        opt.block_bytes = 4096;
        const gc::compare_report rep = gc_test::compare_files(c, r, false, opt);
        int errors = 0;
        for (const auto & f : rep.findings) {
            if (f.code == "read_error") {
                ++errors;
                EXPECT_EQ(f.tensor, "blk.1.ffn_up.weight");
            }
        }
        EXPECT_EQ(errors, 1);
        for (const auto & t : rep.tensors) {
            if (t.name == "blk.1.ffn_up.weight") {
                EXPECT_EQ(t.status, gc::weight_status::skipped);
                EXPECT_NE(t.note.find("cannot read"), std::string::npos) << t.note;
            } else if (t.name == "blk.1.ffn_down.weight") {
                EXPECT_EQ(t.status, gc::weight_status::healthy);
            }
        }
        const std::string j = gc::json_dump(gc::compare_to_json(rep), 1);
        if (base.empty()) base = j;
        EXPECT_EQ(j, base) << threads;
    }
}

TEST(CompareScan, CancelStopsTheScan) {
    for (int threads : { 1, 3 }) {
        gc::file_set c = open_set({ FX / "g4tiny" / "g4tiny-Q8_0.gguf" }), r = open_set(g4_hf());
        gc::compare_options opt;
        opt.n_threads = threads;
        opt.block_bytes = 4096;
        int calls = 0;
        uint64_t last_done = 0;
        opt.progress = [&](uint64_t done, uint64_t total, const std::string &) {
            EXPECT_LE(done, total);
            last_done = done;
            return ++calls < 3;
        };
        const gc::compare_report rep = gc_test::compare_files(c, r, false, opt);
        EXPECT_EQ(rep.verdict, "cancelled");
        EXPECT_EQ(calls, 3);
        EXPECT_GT(last_done, 0u);
    }
}
