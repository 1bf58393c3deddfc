// Fuzz target: the vocabulary itself. Input: the bytes of a GGUF whose
// tokenizer.ggml.* metadata builds a tokenizer (or findings saying why not);
// a fixed text with special-token look-alikes, bytes and Unicode is then
// tokenized every way. Seeds are small vocabularies cut from the fixtures.
#include <string_view>
#include <vector>

#include "check/inspect.h"
#include "format/gguf.h"
#include "fuzz-targets.h"
#include "io/byte-source.h"
#include "tokenizer/tokenize-report.h"
#include "tokenizer/tokenizer.h"

namespace gc_fuzz {

namespace {

constexpr std::string_view k_text =
    "Hello world! <s></s><unk><|endoftext|><|im_start|>user\n<start_of_turn>  \t\n\n\r\n"
    " 12345 don't WE'LL caf\xc3\xa9 \xe2\x96\x81\xe2\x96\x81 \xf0\x9f\xa6\x99 \xe4\xbd\xa0\xe5\xa5\xbd"
    " <0x41> \xff\xfe\x80 a\x00" "b   end";

} // namespace

int fuzz_vocab(const uint8_t * data, size_t size) {
    gc::file_set files;
    files.push_back(gc::byte_source_from_memory(std::vector<uint8_t>(data, data + size), "vocab.gguf"));
    const gc::gguf_model model = gc::gguf_load(files);
    if (!model.usable) return 0;
    gc::tokenizer_load_result r = gc::tokenizer_from_gguf(model);
    if (!r.tok) {
        if (r.findings.empty()) fuzz_fail("no tokenizer and no finding saying why");
        return 0;
    }
    const gc::tokenizer & tok = *r.tok;
    for (int mode = 0; mode < 4; ++mode) {
        const std::vector<int32_t> ids = tok.tokenize(k_text, mode & 1, mode & 2);
        for (int32_t id : ids)
            if (id < 0 || (size_t) id >= tok.n_tokens()) fuzz_fail("token id outside the vocabulary");
        if (mode == 3) (void) gc::json_dump(gc::tokenize_report(&tok, ids));
    }
    (void) tok.tokenize(std::string_view(), true, true);
    (void) gc::json_dump(gc::tokenizer_info(tok));
    return 0;
}

} // namespace gc_fuzz

GC_FUZZ_ENTRY(fuzz_vocab)
