// Fuzz target: the Hugging Face reference reader (config.json, the shard
// index, safetensors shards) and the reference weight source over it (name
// mapping, conversion transforms, generated tensors).
// Input: a file set written as records "GCFILE:<name>\n<content>", e.g.
//   GCFILE:config.json\n{...}GCFILE:model.safetensors\n<u64 N><header><data>
// Bytes before the first record: byte 0 picks the candidate architecture
// the reference is opened for. File names come from the input, so unknown
// names, duplicate and missing shards are reached too.
#include <string>
#include <string_view>
#include <vector>

#include "check/reference.h"
#include "format/safetensors.h"
#include "fuzz-targets.h"
#include "io/byte-source.h"

namespace gc_fuzz {

namespace {

constexpr std::string_view k_marker = "GCFILE:";
constexpr size_t k_max_files = 8;
constexpr size_t k_max_name = 128;

const char * const k_archs[] = { "", "llama", "gemma3", "gemma4", "qwen2" };

// GGUF names to look up in the reference: the mapping and transforms of
// every family are reached with these.
const char * const k_gguf_names[] = {
    "token_embd.weight", "output.weight", "output_norm.weight", "rope_freqs.weight",
    "blk.0.attn_q.weight", "blk.0.attn_k.weight", "blk.0.attn_v.weight", "blk.0.attn_output.weight",
    "blk.0.attn_norm.weight", "blk.0.ffn_norm.weight", "blk.0.ffn_down.weight", "blk.1.attn_q_norm.weight",
    "blk.0.layer_output_scale.weight", "blk.0.post_attention_norm.weight", "blk.0.attn_q.bias",
};

} // namespace

int fuzz_hf(const uint8_t * data, size_t size) {
    std::string_view in((const char *) data, size);
    size_t at = in.find(k_marker);
    if (at == std::string_view::npos) return 0;
    const std::string arch = at > 0 ? k_archs[(uint8_t) in[0] % (sizeof(k_archs) / sizeof(k_archs[0]))] : "";
    gc::file_set files;
    while (at != std::string_view::npos && files.size() < k_max_files) {
        in.remove_prefix(at + k_marker.size());
        const size_t nl = in.find('\n');
        if (nl == std::string_view::npos || nl > k_max_name) break;
        const std::string name(in.substr(0, nl));
        in.remove_prefix(nl + 1);
        at = files.size() + 1 < k_max_files ? in.find(k_marker) : std::string_view::npos;
        const std::string_view content = in.substr(0, at);
        files.push_back(gc::byte_source_from_memory(std::vector<uint8_t>(content.begin(), content.end()), name));
    }
    if (files.empty()) return 0;

    // The reader alone (what the page shows for a dropped folder).
    const gc::hf_model hf = gc::hf_load(files);
    for (const auto & t : hf.tensors) {
        if (t.shard >= hf.shards.size()) fuzz_fail("tensor shard index out of range");
        (void) hf.find_tensor(t.name);
    }
    (void) hf.model_type();
    (void) hf.config_value("num_attention_heads");

    // As a reference: mapped names, transforms, rows in GGUF layout.
    gc::reference_model ref;
    std::string error;
    if (!gc::reference_open(files, arch, ref, &error)) {
        if (error.empty()) fuzz_fail("reference_open failed without a message");
        return 0;
    }
    if (!ref.weights) fuzz_fail("reference opened without a weight source");
    std::vector<float> rows;
    for (const char * name : k_gguf_names) {
        const gc::weight_tensor * t = ref.weights->find(name);
        if (!t) continue;
        if (t->n_cols <= 0 || t->n_rows <= 0) continue;
        // Bounded work per input: at most 64 Ki floats per tensor.
        const int64_t nr = t->n_cols > (1 << 16) ? 0 : std::min<int64_t>(t->n_rows, (1 << 16) / t->n_cols);
        if (nr == 0) continue;
        rows.assign((size_t) (nr * t->n_cols), 0.0f);
        if (!ref.weights->read_rows(*t, 0, nr, rows.data(), &error) && error.empty())
            fuzz_fail("read_rows failed without a message");
        // Past the end: refused.
        if (ref.weights->read_rows(*t, t->n_rows, 1, rows.data(), &error)) fuzz_fail("row past the end accepted");
    }
    return 0;
}

} // namespace gc_fuzz

GC_FUZZ_ENTRY(fuzz_hf)
