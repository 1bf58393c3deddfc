// The weight check's threaded scan (see compare-scan.h).
#include "check/compare-scan.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <memory>
#include <thread>

#include "compute/thread-pool.h"
#include "format/ggml-types.h"

namespace gc {

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// How one side of one job is read.
struct side_plan {
    const weight_tensor * t = nullptr;
    byte_source * file = nullptr;    // raw: the file holding the tensor; nullptr: decoded by read_rows
    const ggml_type_info * type = nullptr;
};

// A tensor is read raw when its side has files and the tensor is what
// weight_source_gguf reads: a decodable type, whole blocks per row, every
// row inside its file.
side_plan plan_side(const compare_scan_side & side, const weight_tensor * t) {
    side_plan p;
    p.t = t;
    if (!side.gguf_files || !t->type || t->type->retired || !t->type->dequant || t->type->block_size <= 0) return p;
    if (AGREEMENT_SEGMENT % t->type->block_size != 0 || t->source >= side.gguf_files->size()) return p;
    const std::optional<uint64_t> rb = ggml_row_bytes(t->type->id, (uint64_t) t->n_cols);
    if (!rb || *rb != t->row_bytes || t->n_rows < 0) return p;
    byte_source * f = (*side.gguf_files)[t->source].get();
    if (!f || (*rb != 0 && (uint64_t) t->n_rows > UINT64_MAX / *rb) || !byte_range_ok(f->size(), t->offset, *rb * (uint64_t) t->n_rows)) {
        return p;
    }
    p.file = f;
    p.type = t->type;
    return p;
}

struct job_plan {
    side_plan side[2];
    bool split = false;              // rows longer than a segment are cut into one item per segment
    int64_t rows_per_item = 1;
    // Per span, per raw side: the file offset where the scan's in-order reads
    // that continue from this span end (the span's own end, or the end of the
    // next spans' rows when those follow it directly in the same file).
    std::vector<uint64_t> stream_end[2];
};

// A piece of work: rows [r0, r0 + nr), columns [c0, c0 + nc) of one job
// (nc < n_cols only for a split row, then nr == 1).
struct scan_item {
    uint32_t job = 0;
    int64_t r0 = 0, nr = 0, c0 = 0, nc = 0;
    size_t off[2] = { 0, 0 };        // byte offset of its data in the batch buffer of each side
    size_t rec = 0;                  // its first record in scan_batch::records
    bool failed = false;             // not read (a read of its job failed)
    float a0 = 0.0f, b0 = 0.0f;      // element 0 of both sides when (r0, c0) == (0, 0)
};

struct scan_batch {
    std::vector<scan_item> items;
    std::vector<uint8_t> buf[2];              // per side: raw bytes or f32 rows
    std::vector<agreement_sums> records;      // one per (row, segment) of the items, in data order
    uint64_t progress_bytes = 0;
};

// Position of the next item to plan, in data order.
struct scan_cursor {
    size_t job = 0, span = 0;
    int64_t row = -1, col = 0;      // row -1: start of the span
};

class scanner {
public:
    scanner(const compare_scan_side & cand, const compare_scan_side & ref, const std::vector<compare_scan_job> & jobs,
            const compare_options & opt, std::vector<compare_scan_result> & out, uint64_t & raw_bytes)
        : sides_{ &cand, &ref }, jobs_(jobs), opt_(opt), out_(out), raw_bytes_(raw_bytes) {}

    bool run(uint64_t total) {
        const auto t_start = clock_type::now();
        caller_id_ = std::this_thread::get_id();
        std::unique_ptr<thread_pool> own;
        thread_pool * pool = compare_pool(opt_, own);
        n_workers_ = pool ? pool->size() : 1;
        worker_time_.assign((size_t) n_workers_, worker_time{});
        // A batch holds about block_bytes of buffer per side (raw bytes of a
        // GGUF side, f32 of a decoded one), whatever the thread count, so a
        // quantized file is read in reads of that size too; items are small
        // enough for at least two per worker (whole rows, at most a segment).
        batch_bytes_ = std::max<int64_t>(1, (int64_t) opt_.block_bytes);
        const int64_t item_elems =
            std::clamp<int64_t>(batch_bytes_ / (int64_t) sizeof(float) / (2 * (int64_t) n_workers_), 1, AGREEMENT_SEGMENT);

        out_.assign(jobs_.size(), compare_scan_result{});
        plans_.resize(jobs_.size());
        int64_t segment_max = 0;   // longest segment a worker decodes
        for (size_t j = 0; j < jobs_.size(); ++j) {
            job_plan & p = plans_[j];
            p.side[0] = plan_side(*sides_[0], jobs_[j].a);
            p.side[1] = plan_side(*sides_[1], jobs_[j].b);
            const int64_t n_cols = jobs_[j].a->n_cols;
            p.split = n_cols > AGREEMENT_SEGMENT && p.side[0].file && p.side[1].file;
            p.rows_per_item = std::max<int64_t>(1, item_elems / std::max<int64_t>(1, n_cols));
            if (p.side[0].file || p.side[1].file) segment_max = std::max(segment_max, std::min(AGREEMENT_SEGMENT, n_cols));
        }
        if (segment_max > 0) {
            scratch_.resize((size_t) n_workers_);
            for (auto & s : scratch_) s.resize(2 * (size_t) segment_max);
        }
        row_.assign(jobs_.size(), agreement_sums{});
        plan_streams();

        // Batch buffers at their final size up front: a batch overshoots
        // batch_bytes_ by less than one chunk (a row or a segment), and
        // growing a vector by doubling would take up to twice that.
        uint64_t chunk_max = 0;
        for (size_t j = 0; j < jobs_.size(); ++j) {
            const int64_t n_cols = jobs_[j].a->n_cols;
            for (int k = 0; k < 2; ++k) {
                const side_plan & sp = plans_[j].side[k];
                chunk_max = std::max(chunk_max, plans_[j].split ? item_bytes_of_segment(sp) : side_row_bytes(sp, n_cols));
            }
        }
        scan_batch batches[2];
        for (scan_batch & b : batches) {
            for (auto & buf : b.buf) buf.reserve((size_t) batch_bytes_ + (size_t) chunk_max);
        }
        scan_batch * cur = &batches[0];
        scan_batch * next = &batches[1];
        uint64_t done = 0;
        fill(*cur);
        while (!cur->items.empty()) {
            bool prefetched = false;   // touched by the calling thread only
            parallel_for(pool, (int64_t) cur->items.size(), [&](int64_t i, int worker) {
                if (std::this_thread::get_id() == caller_id_ && !prefetched) {
                    prefetched = true;
                    fill(*next);
                }
                // A parallel_for nested in another pool's body runs inline
                // on one thread with that pool's worker index: any slot is
                // then ours alone.
                compute(*cur, cur->items[(size_t) i], worker < n_workers_ ? worker : 0);
            });
            if (!prefetched) fill(*next);   // the workers took every item
            const auto t_fold = clock_type::now();
            fold(*cur);
            if (opt_.stats) opt_.stats->fold_s += seconds_since(t_fold);
            done += cur->progress_bytes;
            if (opt_.stats) ++opt_.stats->batches;
            if (opt_.progress && !opt_.progress(done, total, jobs_[cur->items.back().job].name)) return finish(t_start, false);
            std::swap(cur, next);
        }
        return finish(t_start, true);
    }

private:
    bool finish(clock_type::time_point t0, bool ok) {
        if (opt_.stats) {
            opt_.stats->threads = n_workers_;
            opt_.stats->wall_s += seconds_since(t0);
            for (const auto & w : worker_time_) opt_.stats->compute_s += w.compute;
        }
        return ok;
    }

    // Segment records of an item: one per (row, segment).
    int64_t records_of(const scan_item & it) const {
        if (it.nc < jobs_[it.job].a->n_cols) return 1;
        const int64_t per_row = (it.nc + AGREEMENT_SEGMENT - 1) / AGREEMENT_SEGMENT;
        return it.nr * std::max<int64_t>(1, per_row);
    }

    // Buffer bytes of one segment of a split row on side p (raw: split rows
    // exist only when both sides are raw).
    static uint64_t item_bytes_of_segment(const side_plan & p) {
        return (uint64_t) (AGREEMENT_SEGMENT / p.type->block_size) * (uint64_t) p.type->type_size;
    }

    // Buffer bytes of one whole row on side p.
    static uint64_t side_row_bytes(const side_plan & p, int64_t n_cols) {
        return p.file ? p.t->row_bytes : (uint64_t) n_cols * sizeof(float);
    }

    // Bytes of an item on one side of the batch buffer.
    uint64_t item_bytes(const scan_item & it, int s) const {
        const side_plan & p = plans_[it.job].side[s];
        if (!p.file) return (uint64_t) it.nr * (uint64_t) it.nc * sizeof(float);
        if (it.nc == p.t->n_cols) return (uint64_t) it.nr * p.t->row_bytes;
        return (uint64_t) (it.nc / p.type->block_size) * (uint64_t) p.type->type_size;
    }

    // job_plan::stream_end, from the last span back: tensors are usually
    // stored in the order the scan reads them, so one stream runs on across
    // many tensors (most are smaller than a batch).
    void plan_streams() {
        for (int s = 0; s < 2; ++s) {
            const byte_source * next_file = nullptr;
            uint64_t next_begin = 0, next_end = 0;
            for (size_t j = jobs_.size(); j-- > 0;) {
                const side_plan & sp = plans_[j].side[s];
                std::vector<uint64_t> & ends = plans_[j].stream_end[s];
                ends.assign(jobs_[j].spans.size(), 0);
                for (size_t k = ends.size(); k-- > 0;) {
                    if (!sp.file) {
                        next_file = nullptr;
                        continue;
                    }
                    const auto [r0, r1] = jobs_[j].spans[k];
                    const uint64_t begin = sp.t->offset + (uint64_t) r0 * sp.t->row_bytes;
                    const uint64_t end = sp.t->offset + (uint64_t) r1 * sp.t->row_bytes;
                    ends[k] = sp.file == next_file && end == next_begin ? next_end : end;
                    next_file = sp.file;
                    next_begin = begin;
                    next_end = ends[k];
                }
            }
        }
    }

    // The span of its job that holds the item.
    size_t span_index(const scan_item & it) const {
        const auto & spans = jobs_[it.job].spans;
        const auto sp = std::upper_bound(spans.begin(), spans.end(), it.r0,
                                         [](int64_t r, const std::pair<int64_t, int64_t> & span) { return r < span.second; });
        assert(sp != spans.end() && sp->first <= it.r0);
        return (size_t) (sp - spans.begin());
    }

    // File offset of a raw item's first byte.
    uint64_t item_file_offset(const scan_item & it, int s) const {
        const side_plan & p = plans_[it.job].side[s];
        return p.t->offset + (uint64_t) it.r0 * p.t->row_bytes + (uint64_t) (it.c0 / p.type->block_size) * (uint64_t) p.type->type_size;
    }

    // Plans the next items (about batch_bytes_ of buffer per side) and reads their
    // bytes. Calling thread only.
    void fill(scan_batch & b) {
        assert(std::this_thread::get_id() == caller_id_);   // the threads contract
        b.items.clear();
        b.progress_bytes = 0;
        size_t n_rec = 0;
        size_t size[2] = { 0, 0 };
        auto used = [&] { return (int64_t) std::max(size[0], size[1]); };
        while (used() < batch_bytes_ && cur_.job < jobs_.size()) {
            const compare_scan_job & job = jobs_[cur_.job];
            const job_plan & p = plans_[cur_.job];
            if (cur_.span >= job.spans.size()) {
                cur_ = { cur_.job + 1, 0, -1, 0 };
                continue;
            }
            const auto [s0, s1] = job.spans[cur_.span];
            if (cur_.row < 0) cur_.row = s0, cur_.col = 0;
            if (cur_.row >= s1) {
                cur_.span++;
                cur_.row = -1;
                continue;
            }
            const int64_t n_cols = job.a->n_cols;
            // The next chunk of the batch: a segment of a split row, or
            // whole rows up to the batch's size. Chunks (and so the reads)
            // do not depend on the thread count; items do.
            int64_t chunk_rows = 1;
            if (!p.split) {
                const int64_t rest = batch_bytes_ - used();   // > 0
                const int64_t row_cost = std::max<int64_t>(
                    1, (int64_t) std::max(side_row_bytes(p.side[0], n_cols), side_row_bytes(p.side[1], n_cols)));
                const int64_t want = rest / row_cost + (rest % row_cost != 0);
                chunk_rows = std::min(std::max<int64_t>(1, want), s1 - cur_.row);
            }
            for (int64_t done_rows = 0; done_rows < chunk_rows;) {
                scan_item it;
                it.job = (uint32_t) cur_.job;
                it.r0 = cur_.row;
                if (p.split) {
                    it.nr = 1;
                    it.c0 = cur_.col;
                    it.nc = std::min(AGREEMENT_SEGMENT, n_cols - cur_.col);
                    cur_.col += it.nc;
                    if (cur_.col >= n_cols) cur_.row++, cur_.col = 0;
                    if (it.c0 + it.nc == n_cols) b.progress_bytes += job.a->row_bytes + job.b->row_bytes;
                    done_rows = chunk_rows;
                } else {
                    it.nr = std::min(p.rows_per_item, chunk_rows - done_rows);
                    it.c0 = 0;
                    it.nc = n_cols;
                    cur_.row += it.nr;
                    done_rows += it.nr;
                    b.progress_bytes += (uint64_t) it.nr * (job.a->row_bytes + job.b->row_bytes);
                }
                it.rec = n_rec;
                n_rec += (size_t) records_of(it);
                for (int s = 0; s < 2; ++s) {
                    it.off[s] = size[s];
                    size[s] += (size_t) item_bytes(it, s);
                }
                b.items.push_back(it);
            }
        }
        b.records.resize(n_rec);
        for (int s = 0; s < 2; ++s) {
            if (b.buf[s].size() < size[s]) b.buf[s].resize(size[s]);
        }
        const auto t0 = clock_type::now();
        for (int s = 0; s < 2; ++s) read_side(b, s);
        if (opt_.stats) opt_.stats->read_s += seconds_since(t0);
    }

    // Reads side s of every item of the batch, one read per run of items of
    // the same job that are contiguous in the file (raw) or in rows
    // (decoded). A failed read fails its job: nothing more of it is read.
    void read_side(scan_batch & b, int s) {
        size_t i = 0;
        while (i < b.items.size()) {
            scan_item & first = b.items[i];
            const job_plan & p = plans_[first.job];
            compare_scan_result & res = out_[first.job];
            if (!res.ok) {
                first.failed = true;
                ++i;
                continue;
            }
            // The run [i, k).
            size_t k = i + 1;
            uint64_t len = item_bytes(first, s);
            while (k < b.items.size() && b.items[k].job == first.job) {
                const scan_item & prev = b.items[k - 1];
                const scan_item & it = b.items[k];
                const bool contiguous = p.side[s].file ? item_file_offset(it, s) == item_file_offset(first, s) + len
                                                       : it.c0 == 0 && it.r0 == prev.r0 + prev.nr;
                if (!contiguous) break;
                len += item_bytes(it, s);
                ++k;
            }
            uint8_t * dst = b.buf[s].data() + first.off[s];
            std::string error;
            bool ok;
            if (p.side[s].file) {
                const uint64_t at = item_file_offset(first, s);
                p.side[s].file->will_read(at, p.stream_end[s][span_index(first)] - at);
                ok = p.side[s].file->read(at, dst, (size_t) len);
                if (ok) {
                    raw_bytes_ += len;
                } else {
                    error = "cannot read rows of tensor " + p.side[s].t->name + ": " + p.side[s].file->name() + ": cannot read " +
                            std::to_string(len) + " bytes at offset " + std::to_string(item_file_offset(first, s));
                }
            } else {
                const int64_t rows = (int64_t) (len / ((uint64_t) first.nc * sizeof(float)));
                const int64_t span_end = jobs_[first.job].spans[span_index(first)].second;
                sides_[s]->weights->will_read_rows(*p.side[s].t, first.r0, span_end - first.r0);   // the rest of the span
                ok = sides_[s]->weights->read_rows(*p.side[s].t, first.r0, rows, reinterpret_cast<float *>(dst), &error);
            }
            if (!ok) {
                res.ok = false;
                res.error = error;
                for (size_t m = i; m < k; ++m) b.items[m].failed = true;
            }
            i = k;
        }
    }

    // Decodes and sums one item into its records. Any thread; touches only
    // the item, its records and the worker's scratch.
    void compute(scan_batch & b, scan_item & it, int worker) {
        if (it.failed) return;
        // Timed per item, not per segment: a clock read is a JS call in wasm.
        const auto t0 = opt_.stats ? clock_type::now() : clock_type::time_point{};
        const job_plan & p = plans_[it.job];
        const int64_t n_cols = p.side[0].t->n_cols;
        size_t rec = it.rec;
        for (int64_t r = 0; r < it.nr; ++r) {
            for (int64_t c = it.c0; c < it.c0 + it.nc; c += AGREEMENT_SEGMENT) {
                const int64_t len = std::min(AGREEMENT_SEGMENT, it.c0 + it.nc - c);
                const float * x[2];
                for (int s = 0; s < 2; ++s) {
                    const side_plan & sp = p.side[s];
                    const uint8_t * base = b.buf[s].data() + it.off[s];
                    if (sp.file) {
                        // Raw: row r of the item, columns from c (whole blocks).
                        const uint64_t row_off = it.nc == n_cols ? (uint64_t) r * sp.t->row_bytes : 0;
                        const uint64_t col_off = (uint64_t) ((c - it.c0) / sp.type->block_size) * (uint64_t) sp.type->type_size;
                        std::vector<float> & scratch = scratch_[(size_t) worker];
                        float * dst = scratch.data() + (size_t) s * (scratch.size() / 2);
                        sp.type->dequant(base + row_off + col_off, dst, len);
                        x[s] = dst;
                    } else {
                        x[s] = reinterpret_cast<const float *>(base) + r * it.nc + (c - it.c0);
                    }
                }
                b.records[rec++] = agreement_segment(x[0], x[1], len);
                if (it.r0 + r == 0 && c == 0) {
                    it.a0 = x[0][0];
                    it.b0 = x[1][0];
                }
            }
        }
        if (opt_.stats) worker_time_[(size_t) worker].compute += seconds_since(t0);
    }

    // Folds a computed batch into the jobs' agreements, in data order.
    void fold(const scan_batch & b) {
        for (const scan_item & it : b.items) {
            compare_scan_result & res = out_[it.job];
            if (it.failed || !res.ok) continue;
            if (it.r0 == 0 && it.c0 == 0) {
                res.a0 = it.a0;
                res.b0 = it.b0;
            }
            const int64_t n_cols = jobs_[it.job].a->n_cols;
            agreement_sums & row = row_[it.job];
            const int64_t n_rec = records_of(it);
            for (int64_t k = 0; k < n_rec; ++k) {
                agreement_sums_add(row, b.records[it.rec + (size_t) k]);
                if (row.n == (uint64_t) n_cols) {
                    res.acc.add_row(row);
                    row = agreement_sums{};
                }
            }
        }
    }

    struct worker_time {
        double compute = 0;
        char pad[56];   // one cache line each
    };

    const compare_scan_side * sides_[2];
    const std::vector<compare_scan_job> & jobs_;
    const compare_options & opt_;
    std::vector<compare_scan_result> & out_;
    uint64_t & raw_bytes_;
    std::vector<job_plan> plans_;
    std::vector<agreement_sums> row_;          // per job: the row being folded
    std::vector<std::vector<float>> scratch_;  // per worker: 2 segments of f32
    std::vector<worker_time> worker_time_;
    int n_workers_ = 1;
    int64_t batch_bytes_ = 0;
    scan_cursor cur_;
    std::thread::id caller_id_;                // the only thread that reads
};

} // namespace

bool compare_scan(const compare_scan_side & cand, const compare_scan_side & ref, const std::vector<compare_scan_job> & jobs,
                  const compare_options & opt, uint64_t total, std::vector<compare_scan_result> & out, uint64_t & raw_bytes) {
    scanner s(cand, ref, jobs, opt, out, raw_bytes);
    return s.run(total);
}

} // namespace gc
