#include "forward/ppl.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <memory>
#include <limits>
#include <mutex>

#include "compute/lse.h"
#include "forward/forward.h"
#include "metrics/cosine.h"
#include "metrics/nll.h"

namespace gc {

namespace {

// Online state of one scored token's distribution over the vocab.
struct head_state {
    online_lse lse;
    float target = 0.0f;
    int32_t argmax = -1;
    float max_logit = -std::numeric_limits<float>::infinity();

    void add_tile(const float * logits, int64_t v0, int64_t nv, int32_t target_id) {
        lse.add_block(logits, nv);
        if (target_id >= v0 && target_id < v0 + nv) {
            target = logits[target_id - v0];
            has_target = true;
        }
        for (int64_t j = 0; j < nv; ++j) {
            if (logits[j] > max_logit) {   // first maximum wins, as std::max_element
                max_logit = logits[j];
                argmax = (int32_t) (v0 + j);
            }
        }
    }
    double log_prob() const { return (double) target - lse.value(); }

    // Folds in the state of the following vocab range (merged in vocab
    // order, so "first maximum wins" holds across ranges).
    void merge(const head_state & o) {
        lse.merge(o.lse);
        if (o.has_target) {
            target = o.target;
            has_target = true;
        }
        if (o.argmax >= 0 && (argmax < 0 || o.max_logit > max_logit)) {
            max_logit = o.max_logit;
            argmax = o.argmax;
        }
    }
    bool has_target = false;
};

// The head's vocab tiles are split into groups of consecutive tiles. Each
// group keeps its own online state per scored token, updated by one tile at
// a time in vocab order; the groups' states are merged in vocab order afterwards. The number of
// groups depends on the shapes only (never on the thread count), so the
// result is the same for every thread count. Bounded by memory: at most
// k_head_group_bytes of per-group states.
constexpr int64_t k_head_groups_max = 64;
constexpr int64_t k_head_group_bytes = 64ll << 20;

struct layer_cos_acc {
    double sum = 0.0;
    double min = 1.0;
    int64_t n = 0;
};

bool fail(std::string * error, std::string msg) {
    if (error) *error = std::move(msg);
    return false;
}

} // namespace

bool ppl_read_token_file(byte_source & src, std::vector<int32_t> & tokens, std::string * error) {
    const uint64_t size = src.size();
    if (size % 4 != 0) return fail(error, src.name() + ": a token file holds int32 ids; its size is not a multiple of 4");
    if (size > (uint64_t) 1 << 32) return fail(error, src.name() + ": token file larger than 4 GiB");
    std::vector<uint8_t> raw((size_t) size);
    if (size > 0 && !src.read(0, raw.data(), raw.size())) return fail(error, src.name() + ": cannot read the token file");
    tokens.resize((size_t) (size / 4));
    for (size_t i = 0; i < tokens.size(); ++i) {
        const uint8_t * p = raw.data() + 4 * i;
        tokens[i] = (int32_t) ((uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24);
    }
    return true;
}

bool ppl_evaluate(const ppl_model & cand, const ppl_model * ref, const std::vector<int32_t> & tokens,
                  const ppl_options & opt, ppl_result & out, std::string * error) {
    out = ppl_result{};
    if (!cand.desc || !cand.weights) return fail(error, "no model");
    if (ref && (!ref->desc || !ref->weights)) ref = nullptr;
    const uint64_t bytes_before = cand.weights->bytes_read();   // the source may have served earlier runs
    const model_desc & dc = *cand.desc;
    const int32_t n_ctx = opt.n_ctx;
    if (n_ctx < 4 || n_ctx > (1 << 20)) return fail(error, "context size " + std::to_string(n_ctx) + " is out of range [4, 1048576]");
    int64_t n_chunk = (int64_t) tokens.size() / n_ctx;
    if (opt.max_chunks >= 0) n_chunk = std::min(n_chunk, opt.max_chunks);
    if (n_chunk <= 0) {
        return fail(error, "need at least " + std::to_string(n_ctx) + " tokens for one chunk, got " + std::to_string(tokens.size()));
    }
    if (!forward_check_model(dc, *cand.weights, error)) return false;
    if (ref) {
        std::string e;
        if (!forward_check_model(*ref->desc, *ref->weights, &e)) return fail(error, "reference: " + e);
        if (ref->desc->n_vocab != dc.n_vocab) {
            return fail(error, "the reference has " + std::to_string(ref->desc->n_vocab) + " vocabulary entries, the model " +
                               std::to_string(dc.n_vocab) + ": their distributions cannot be compared");
        }
    }
    const bool lockstep = ref && ref->desc->layers.size() == dc.layers.size() && ref->desc->n_embd == dc.n_embd;

    const int32_t bos = opt.bos_id >= 0 ? opt.bos_id : (opt.bos_id == -1 && dc.add_bos ? dc.bos_id : -1);
    const int32_t first = std::max(0, n_ctx / 2 - (opt.score_from_half_minus_one ? 1 : 0));
    const int32_t n_score = n_ctx - 1 - first;

    // Chunks per batch from the activation budget.
    int64_t per_tok = forward_floats_per_token(dc);
    if (ref) per_tok += forward_floats_per_token(*ref->desc);
    int64_t bc = opt.batch_chunks > 0 ? opt.batch_chunks
                                      : std::max<int64_t>(1, opt.activation_budget / (per_tok * 4 * (int64_t) n_ctx));
    bc = std::min(bc, n_chunk);
    const int64_t n_batches = (n_chunk + bc - 1) / bc;

    std::unique_ptr<thread_pool> own_pool;
    if (!opt.pool) own_pool = std::make_unique<thread_pool>(opt.n_threads);
    thread_pool & pool = opt.pool ? *opt.pool : *own_pool;
    forward_runner rc(dc, *cand.weights);
    rc.set_pool(&pool);
    rc.set_tile_floats(opt.tile_floats);
    rc.set_activations(opt.activations);
    std::unique_ptr<forward_runner> rr;
    if (ref) {
        rr = std::make_unique<forward_runner>(*ref->desc, *ref->weights);
        rr->set_pool(&pool);
        rr->set_tile_floats(opt.tile_floats);
        rr->set_activations(opt.activations);
    }

    nll_accumulator acc, acc_ref;
    kld_accumulator kacc;
    std::vector<layer_cos_acc> cos_acc(lockstep ? dc.layers.size() : 0);
    std::vector<int32_t> toks;
    std::vector<float> xc, xr, hc, hr;
    const int32_t n_layers = (int32_t) dc.layers.size();

    for (int64_t b = 0; b < n_batches; ++b) {
        const int64_t c0 = b * bc;
        const int32_t nc = (int32_t) std::min(bc, n_chunk - c0);
        const int64_t T = (int64_t) nc * n_ctx;
        toks.assign(tokens.begin() + c0 * n_ctx, tokens.begin() + c0 * n_ctx + T);
        if (bos >= 0) {
            for (int32_t s = 0; s < nc; ++s) toks[(size_t) s * n_ctx] = bos;
        }
        for (int32_t id : toks) {
            if (id < 0 || id >= dc.n_vocab) return fail(error, "token id " + std::to_string(id) + " is outside the vocabulary (n_vocab " + std::to_string(dc.n_vocab) + ")");
        }

        // Embeddings and the layer loop (in lockstep with the reference).
        if (!rc.embed(toks.data(), T, xc, error)) return false;
        if (rr) {
            std::string e;
            if (!rr->embed(toks.data(), T, xr, &e)) return fail(error, "reference: " + e);
        }
        for (int32_t il = 0; il < n_layers; ++il) {
            if (!rc.layer(il, xc.data(), nc, n_ctx, error)) return false;
            if (lockstep) {
                std::string e;
                if (!rr->layer(il, xr.data(), nc, n_ctx, &e)) return fail(error, "reference: " + e);
                layer_cos_acc & ca = cos_acc[il];
                for (int64_t t = 0; t < T; ++t) {
                    const double c = cosine(xc.data() + t * dc.n_embd, xr.data() + t * dc.n_embd, dc.n_embd);
                    ca.sum += c;
                    ca.min = std::min(ca.min, c);
                    ++ca.n;
                }
            }
            if (opt.progress) opt.progress({ b, n_batches, il + 1, n_layers, c0, n_chunk });
        }
        if (rr && !lockstep) {
            for (int32_t il = 0; il < (int32_t) ref->desc->layers.size(); ++il) {
                std::string e;
                if (!rr->layer(il, xr.data(), nc, n_ctx, &e)) return fail(error, "reference: " + e);
            }
        }

        // Final norm of the scored rows only.
        const int64_t ns = (int64_t) nc * n_score;
        std::vector<int32_t> target((size_t) ns);
        auto gather_norm = [&](forward_runner & r, const std::vector<float> & x, std::vector<float> & h,
                               std::string * err) -> bool {
            const int64_t d = r.desc().n_embd;
            std::vector<float> rows((size_t) (ns * d));
            for (int32_t s = 0; s < nc; ++s) {
                const float * src = x.data() + ((int64_t) s * n_ctx + first) * d;
                std::copy(src, src + (int64_t) n_score * d, rows.begin() + (int64_t) s * n_score * d);
            }
            h.resize(rows.size());
            return r.final_norm(rows.data(), ns, h.data(), err);
        };
        for (int32_t s = 0; s < nc; ++s) {
            for (int32_t j = 0; j < n_score; ++j) target[(size_t) s * n_score + j] = toks[(size_t) s * n_ctx + first + j + 1];
        }
        if (!gather_norm(rc, xc, hc, error)) return false;
        rc.head_prepare(hc.data(), ns);
        if (rr) {
            std::string e;
            if (!gather_norm(*rr, xr, hr, &e)) return fail(error, "reference: " + e);
            rr->head_prepare(hr.data(), ns);
        }

        // Head, streamed in vocab tiles (compute/tile-stream.h: the calling
        // thread reads, the pool multiplies), in groups of consecutive tiles
        // (see k_head_groups_max): group g holds tiles [tile_begin(g),
        // tile_begin(g + 1)) and its states at [g * ns, (g+1) * ns). Tiles are
        // streamed round-robin over the groups, so that tiles in flight
        // together belong to different groups; within a group they are added
        // in vocab order (a tile waits for its group's previous tile).
        int64_t nv_tile = rc.tile_rows_for(dc.n_embd, dc.n_vocab);
        nv_tile = std::max<int64_t>(1, std::min(nv_tile, (int64_t) (1 << 20) / std::max<int64_t>(1, ns)));
        if (rr) nv_tile = std::min(nv_tile, rr->tile_rows_for(ref->desc->n_embd, dc.n_vocab));
        const int64_t n_tiles = ((int64_t) dc.n_vocab + nv_tile - 1) / nv_tile;
        const int64_t state_bytes = (int64_t) (sizeof(head_state) + (rr ? sizeof(head_state) + sizeof(kld_online) : 0));
        const int64_t n_groups = std::max<int64_t>(
            1, std::min({ n_tiles, k_head_groups_max, k_head_group_bytes / std::max<int64_t>(1, ns * state_bytes) }));
        auto tile_begin = [&](int64_t g) { return g * n_tiles / n_groups; };
        std::vector<int64_t> order, group_of((size_t) n_tiles), group_next((size_t) n_groups);
        for (int64_t g = 0; g < n_groups; ++g) {
            group_next[(size_t) g] = tile_begin(g);
            for (int64_t ti = tile_begin(g); ti < tile_begin(g + 1); ++ti) group_of[(size_t) ti] = g;
        }
        for (int64_t k = 0; (int64_t) order.size() < n_tiles; ++k) {
            for (int64_t g = 0; g < n_groups; ++g) {
                if (tile_begin(g) + k < tile_begin(g + 1)) order.push_back(tile_begin(g) + k);
            }
        }
        std::mutex group_mu;
        std::condition_variable group_cv;
        std::vector<head_state> st_c((size_t) (n_groups * ns)), st_r(rr ? (size_t) (n_groups * ns) : 0);
        std::vector<kld_online> kl(rr ? (size_t) (n_groups * ns) : 0);
        // Per worker: the logits of one tile.
        std::vector<std::vector<float>> wlc((size_t) pool.size()), wlr((size_t) pool.size());
        const int64_t ec = dc.n_embd, er = rr ? ref->desc->n_embd : 0;
        tile_slots head_slots;
        std::string head_error;
        const bool head_ok = stream_tiles(
            &pool, n_tiles, (size_t) (nv_tile * (ec + er)), head_slots,
            [&](int64_t k, float * tile, std::string * e) {
                const int64_t v0 = order[(size_t) k] * nv_tile;
                const int64_t nv = std::min(nv_tile, (int64_t) dc.n_vocab - v0);
                if (!rc.head_read(v0, nv, tile, e)) return false;
                if (rr && !rr->head_read(v0, nv, tile + nv * ec, e)) {
                    *e = "reference: " + *e;
                    return false;
                }
                return true;
            },
            [&](int64_t k, const float * tile, int worker) {
                const int64_t ti = order[(size_t) k], g = group_of[(size_t) ti];
                const int64_t v0 = ti * nv_tile;
                const int64_t nv = std::min(nv_tile, (int64_t) dc.n_vocab - v0);
                std::vector<float> & lcw = wlc[(size_t) worker];
                std::vector<float> & lrw = wlr[(size_t) worker];
                lcw.resize((size_t) (ns * nv_tile));
                rc.head_logits(hc.data(), ns, tile, nv, lcw.data(), worker);
                if (rr) {
                    lrw.resize((size_t) (ns * nv_tile));
                    rr->head_logits(hr.data(), ns, tile + nv * ec, nv, lrw.data(), worker);
                }
                {
                    std::unique_lock<std::mutex> lk(group_mu);
                    group_cv.wait(lk, [&] { return group_next[(size_t) g] == ti; });
                }
                head_state * sc = st_c.data() + g * ns;
                head_state * sr = rr ? st_r.data() + g * ns : nullptr;
                kld_online * kg = rr ? kl.data() + g * ns : nullptr;
                for (int64_t i = 0; i < ns; ++i) {
                    sc[i].add_tile(lcw.data() + i * nv, v0, nv, target[i]);
                    if (rr) {
                        sr[i].add_tile(lrw.data() + i * nv, v0, nv, target[i]);
                        kg[i].add_block(lrw.data() + i * nv, lcw.data() + i * nv, nv);
                    }
                }
                {
                    std::lock_guard<std::mutex> lk(group_mu);
                    ++group_next[(size_t) g];
                }
                group_cv.notify_all();
            },
            &head_error);
        if (!head_ok) return fail(error, head_error);
        // Merge the groups into group 0's states, in vocab order.
        for (int64_t g = 1; g < n_groups; ++g) {
            for (int64_t i = 0; i < ns; ++i) {
                st_c[i].merge(st_c[g * ns + i]);
                if (rr) {
                    st_r[i].merge(st_r[g * ns + i]);
                    kl[i].merge(kl[g * ns + i]);
                }
            }
        }
        if (opt.progress) opt.progress({ b, n_batches, n_layers, n_layers, c0 + nc, n_chunk });

        // Accumulate, chunk by chunk in order.
        for (int32_t s = 0; s < nc; ++s) {
            nll_accumulator chunk;
            for (int32_t j = 0; j < n_score; ++j) {
                const size_t i = (size_t) s * n_score + j;
                const double lp = st_c[i].log_prob();
                acc.add(-lp);
                chunk.add(-lp);
                if (rr) {
                    const double lpr = st_r[i].log_prob();
                    acc_ref.add(-lpr);
                    const double k = kl[i].value(st_r[i].lse.value(), st_c[i].lse.value());
                    kacc.add(k, std::exp(lp) - std::exp(lpr), st_c[i].argmax == st_r[i].argmax);
                }
            }
            out.cumulative.push_back(acc.ppl());
            out.chunk_ppl.push_back(chunk.ppl());
            if (rr) out.ref_cumulative.push_back(acc_ref.ppl());
        }
    }

    out.n_ctx = n_ctx;
    out.n_chunks = n_chunk;
    out.n_scored = acc.count;
    out.ppl = acc.ppl();
    out.ppl_err = acc.ppl_err();
    out.nll_mean = acc.mean();
    out.bytes_read = cand.weights->bytes_read() - bytes_before;
    out.read_seconds = rc.read_seconds();
    out.gemm_seconds = rc.gemm_seconds();
    out.n_threads = pool.size();
    out.activations = opt.activations;
    if (rr) {
        out.has_ref = true;
        out.ref_ppl = acc_ref.ppl();
        out.ref_ppl_err = acc_ref.ppl_err();
        out.kld = kacc.summarize();
        for (const layer_cos_acc & ca : cos_acc) {
            layer_cosine lcs;
            lcs.mean = ca.n ? ca.sum / (double) ca.n : 1.0;
            lcs.min = ca.min;
            out.hidden_cos.push_back(lcs);
        }
    }
    return true;
}

} // namespace gc
