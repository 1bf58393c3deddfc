// Fuzz target: the tokenizers over fuzzed text, with fixed, valid
// vocabularies loaded once from the fixtures (one per tokenizer kind and
// pre-tokenizer family: SPM, gpt-2, llama-bpe, qwen2, gemma4).
// Input: [0] selector (bits 0-2: vocabulary, bit 3: add_special,
// bit 4: parse_special), then the text (arbitrary bytes, not only UTF-8).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "format/gguf.h"
#include "fuzz-targets.h"
#include "io/byte-source.h"
#include "tokenizer/tokenizer.h"

namespace gc_fuzz {

namespace {

const char * const k_vocab_files[] = {
    "/stories260K/stories260K-Q4_0.gguf",        // llama (SPM), 512 tokens
    "/vocab/ggml-vocab-llama-spm.gguf",          // llama (SPM), 32000 tokens
    "/vocab/ggml-vocab-gpt-2.gguf",              // gpt2, gpt-2 pre-tokenizer
    "/vocab/ggml-vocab-llama-bpe.gguf",          // gpt2, llama3 pre-tokenizer
    "/vocab/ggml-vocab-qwen2.gguf",              // gpt2, qwen2 pre-tokenizer
    "/vocab/ggml-vocab-gemma-4.gguf",            // gemma4 BPE
};
constexpr size_t k_n_vocabs = sizeof(k_vocab_files) / sizeof(k_vocab_files[0]);

const gc::tokenizer * vocab_get(size_t i) {
    static std::unique_ptr<gc::tokenizer> toks[k_n_vocabs];
    static bool loaded[k_n_vocabs];
    if (!loaded[i]) {
        loaded[i] = true;
        std::string error;
        auto src = gc::byte_source_open_file(std::string(GC_FIXTURES) + k_vocab_files[i], &error);
        if (!src) {
            std::fprintf(stderr, "fuzz-tokenize: %s\n", error.c_str());
            fuzz_fail("cannot open a vocabulary fixture");
        }
        gc::file_set files;
        files.push_back(gc::byte_source_read_ahead(std::move(src)));
        const gc::gguf_model model = gc::gguf_load(files);
        gc::tokenizer_load_result r = gc::tokenizer_from_gguf(model);
        if (!r.tok) fuzz_fail("a fixture vocabulary did not build a tokenizer");
        toks[i] = std::move(r.tok);
    }
    return toks[i].get();
}

} // namespace

int fuzz_tokenize(const uint8_t * data, size_t size) {
    if (size < 1) return 0;
    const size_t vi = (data[0] & 7) % k_n_vocabs;
    const bool add_special = data[0] & 8, parse_special = data[0] & 16;
    const std::string_view text((const char *) data + 1, size - 1);
    const gc::tokenizer * tok = vocab_get(vi);
    const std::vector<int32_t> ids = tok->tokenize(text, add_special, parse_special);
    for (int32_t id : ids) {
        if (id < 0 || (size_t) id >= tok->n_tokens()) fuzz_fail("token id outside the vocabulary");
        (void) tok->token(id).text;
    }
    // Tokenizing is deterministic.
    if (tok->tokenize(text, add_special, parse_special) != ids) fuzz_fail("tokenize is not deterministic");
    return 0;
}

} // namespace gc_fuzz

GC_FUZZ_ENTRY(fuzz_tokenize)
