// The streaming forward: one model, a batch of chunks, one layer at a time.
//
// Activations for all tokens of the batch live in f32 row-major arrays
// [n_tok, width], n_tok = n_seq * n_ctx (chunk s occupies rows
// [s * n_ctx, (s + 1) * n_ctx), positions 0..n_ctx-1). Weights are never held
// whole: each matrix is read in tiles of rows, dequantized, multiplied into
// the output columns of all tokens and dropped (forward_runner::linear). Only
// the 1-D tensors of the current layer (norm weights, scalars) are kept while
// the layer runs. Memory is therefore bounded by the activations, one weight
// tile and the attention scores of one head of one chunk.
//
// Threads (set_pool): a matrix's row tiles, the head's vocab tiles and the
// attention's (chunk, head) pairs are spread over the pool's workers. Tile
// boundaries depend only on the shapes (never on the thread count) and each
// tile writes its own output columns, so results are bit-identical for any
// number of threads. Weight sources are not thread-safe: every read_rows of
// every runner in the process goes through one mutex (the read + dequant of
// one tile overlaps with the other workers' GEMMs). Memory grows by one
// weight tile and one attention score matrix per worker.
#pragma once

#include <atomic>

#include <cstdint>
#include <string>
#include <vector>

#include "compute/attention.h"
#include "compute/qgemm.h"
#include "compute/rope.h"
#include "compute/thread-pool.h"
#include "compute/tile-stream.h"
#include "forward/weights.h"
#include "model/model.h"

namespace gc {

// The arithmetic of the forward's matrix products.
//  f32 (default): weights dequantized to f32, activations kept in f32: the
//    engine-independent definition of "these weights' perplexity".
//  ggml: llama.cpp's CPU arithmetic: before each product, the activations
//    are rounded to the weight type's vec_dot_type (quant/act-quant.h: Q8_0,
//    Q8_1, Q8_K blocks, f16 or bf16), the output head included; K and V are
//    rounded to f16 as they enter attention (llama.cpp's default F16 KV
//    cache; with flash attention on the CPU, Q stays f32 and the products and
//    softmax run in f32). Weight types with an integer kernel
//    (compute/qgemm.h) multiply the raw quantized blocks by the 8-bit
//    activations, with integer sums inside each block, as ggml does; the
//    others round-trip the activations and use the f32 GEMM.
enum class activation_mode { f32, ggml };

// "f32" / "ggml"; parse: false for any other spelling.
const char * activation_mode_name(activation_mode m);
bool activation_mode_parse(const std::string & s, activation_mode * m);

// Checks every tensor the recipe names against the weight source: present,
// the expected shape, a type that can be dequantized. On failure *error
// names the tensor and what is wrong.
bool forward_check_model(const model_desc & desc, weight_source & weights, std::string * error);

// Floats of activation memory per token for this model (the widest layer).
int64_t forward_floats_per_token(const model_desc & desc);

class forward_runner {
public:
    forward_runner(const model_desc & desc, weight_source & weights);

    // x = embeddings of the tokens (n_tok rows of n_embd), times embd_scale.
    bool embed(const int32_t * tokens, int64_t n_tok, std::vector<float> & x, std::string * error);

    // Applies layer il to x in place (n_seq chunks of n_ctx tokens).
    bool layer(int32_t il, float * x, int32_t n_seq, int32_t n_ctx, std::string * error);

    // out = RMS(x_rows, output_norm): n rows.
    bool final_norm(const float * x, int64_t n, float * out, std::string * error);

    // The head in vocabulary tiles, for a stream (compute/tile-stream.h):
    // head_read puts output-matrix rows [v0, v0 + nv) into tile (nv rows of
    // n_embd floats, or in ggml mode with an integer kernel the rows' raw
    // bytes, never more bytes than the floats would take) and, like every
    // weight read, runs on the pool's calling thread only; head_logits, safe
    // on any thread, computes logits[t, j] = softcap(h[t] . tile[j]) for
    // n_tok rows of nv (h as given to head_prepare).
    bool head_read(int64_t v0, int64_t nv, float * tile, std::string * error);
    // worker: the pool worker running it (per-worker scratch of the integer
    // kernel).
    void head_logits(const float * h, int64_t n_tok, const float * tile, int64_t nv, float * logits, int worker = 0);

    // Arithmetic of the products (see activation_mode); default f32.
    void set_activations(activation_mode m) { act_mode_ = m; }
    activation_mode activations() const { return act_mode_; }

    // Prepares the head's input: n_tok rows of n_embd (the final-normed
    // hidden states), rounded or quantized once for all vocab tiles in ggml
    // mode (nothing to do in f32 mode). Call before the head's stream; h must
    // stay valid and unchanged until the last head_logits.
    void head_prepare(const float * h, int64_t n_tok);

    // Threads for the tiles; nullptr (the default): the calling thread only.
    void set_pool(thread_pool * pool);
    thread_pool * pool() const { return pool_; }
    int n_workers() const { return pool_ ? pool_->size() : 1; }

    // f32 elements per weight tile (default 1 << 18 = 1 MiB). Changes tile
    // boundaries and therefore float summation details; tests use small
    // tiles to exercise the threaded paths on tiny models.
    void set_tile_floats(int64_t n) { tile_floats_ = n > 0 ? n : k_tile_floats; }
    int64_t tile_rows_for(int64_t n_in, int64_t n_rows) const { return tile_rows(n_in, n_rows, tile_floats_); }

    // Seconds spent reading + dequantizing weight tiles (on the calling
    // thread) and in the tile GEMMs (summed over workers), since
    // construction. For the benchmark.
    double read_seconds() const { return (double) read_ns_.load() * 1e-9; }
    double gemm_seconds() const { return (double) gemm_ns_.load() * 1e-9; }

    // Y[n_tok, n_out] = X[n_tok, n_in] W^T, W streamed in row tiles.
    bool linear(const std::string & name, const float * x, int64_t n_tok, int64_t n_in, float * y, int64_t n_out,
                std::string * error);

    const model_desc & desc() const { return desc_; }
    weight_source & weights() { return weights_; }

    // Rows per weight tile for a matrix with rows of n_in floats.
    static constexpr int64_t k_tile_floats = 1 << 18;
    static int64_t tile_rows(int64_t n_in, int64_t n_rows, int64_t tile_floats = k_tile_floats);

private:
    // weights_.read_rows, timed. Weight sources are only ever read from the
    // thread that drives the runner (the pool's caller), never from workers.
    bool read_rows_timed(const weight_tensor & t, int64_t r0, int64_t nr, float * dst, std::string * error);
    bool read_raw_timed(const weight_tensor & t, int64_t r0, int64_t nr, void * dst, std::string * error);
    // linear() through the integer GEMM (ggml mode, a type with a kernel).
    bool linear_int(const weight_tensor & t, const float * x, int64_t n_tok, int64_t n_in, float * y, int64_t n_out,
                    std::string * error);
    // True when t goes through the integer GEMM in the current mode.
    bool use_int_kernel(const weight_tensor & t) const;
    const weight_tensor * head_tensor(int64_t v0, int64_t nv, std::string * error) const;
    bool read_vector(const std::string & name, int64_t n, std::vector<float> & out, std::string * error);
    const rope_table & rope_for(int32_t il, int32_t n_ctx, std::string * error, bool & ok);

    const model_desc & desc_;
    weight_source & weights_;

    // Work buffers, grown on demand and reused across layers.
    std::vector<float> xn_, q_, k_, v_, att_, o_, g_, u_;
    // ggml mode: activations rounded for the reference path, and the head's
    // prepared input (rounded rows, or quantized rows for the integer kernel).
    activation_mode act_mode_ = activation_mode::f32;
    std::vector<float> xr_;
    const float * head_h_ = nullptr;
    int64_t head_n_ = 0;
    std::vector<float> head_hr_;
    // Integer GEMM: X quantized once per matrix (and once per batch for the
    // head), per-worker panel scratch.
    qgemm_acts qacts_, head_qacts_;
    bool head_int_ = false;
    std::vector<qgemm_scratch> qscratch_;
    // Weight tiles in flight (compute/tile-stream.h) and, per worker,
    // attention scores.
    tile_slots slots_;
    std::vector<std::vector<float>> scores_;
    thread_pool * pool_ = nullptr;
    int64_t tile_floats_ = k_tile_floats;
    std::atomic<int64_t> read_ns_{ 0 }, gemm_ns_{ 0 };
    std::vector<float> w_norm_, w_qn_, w_kn_, w_post_attn_, w_ffn_norm_, w_post_ffn_;
    // Rope tables by layer (shared between layers with equal parameters).
    std::vector<rope_table> rope_tables_;
    std::vector<int32_t> rope_index_;
};

} // namespace gc
