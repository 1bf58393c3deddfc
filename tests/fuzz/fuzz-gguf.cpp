// Fuzz target: the GGUF reader, its integrity checks and the inspect report.
// Input: the bytes of one GGUF file, or of a split set: parts separated by
// the 8 bytes "GGUFPART" (then named model-0000i-of-0000n.gguf), so split
// bookkeeping (split.no / split.count, missing and duplicate parts) is reached.
#include <string>
#include <string_view>
#include <vector>

#include "check/inspect.h"
#include "format/gguf.h"
#include "fuzz-targets.h"
#include "io/byte-source.h"

namespace gc_fuzz {

namespace {

constexpr std::string_view k_part_sep = "GGUFPART";
constexpr size_t k_max_parts = 4;

std::vector<std::string_view> split_parts(std::string_view in) {
    std::vector<std::string_view> parts;
    while (parts.size() + 1 < k_max_parts) {
        const size_t at = in.find(k_part_sep);
        if (at == std::string_view::npos) break;
        parts.push_back(in.substr(0, at));
        in.remove_prefix(at + k_part_sep.size());
    }
    parts.push_back(in);
    return parts;
}

} // namespace

int fuzz_gguf(const uint8_t * data, size_t size) {
    const auto parts = split_parts(std::string_view((const char *) data, size));
    gc::file_set files;
    for (size_t i = 0; i < parts.size(); ++i) {
        const std::string name = parts.size() == 1 ? "model.gguf"
            : "model-0000" + std::to_string(i + 1) + "-of-0000" + std::to_string(parts.size()) + ".gguf";
        std::vector<uint8_t> bytes(parts[i].begin(), parts[i].end());
        // Small read-ahead window: the same code path as the CLI and the page.
        files.push_back(gc::byte_source_read_ahead(gc::byte_source_from_memory(std::move(bytes), name), 4096));
    }
    const gc::gguf_model model = gc::gguf_load(files);
    // Every model, usable or not, must render: JSON (dumped, as the page
    // receives it) and the CLI text.
    const std::string json = gc::json_dump(gc::inspect_report(model), 1);
    if (json.empty()) fuzz_fail("empty inspect JSON");
    (void) gc::inspect_text(model);
    // Accessors over whatever was parsed.
    (void) model.architecture();
    (void) model.arch_int("block_count");
    (void) model.arch_number("rope.freq_base");
    for (const auto & t : model.tensors) {
        if (!t.info) fuzz_fail("tensor without info");
        if (t.part >= model.parts.size()) fuzz_fail("tensor part index out of range");
        (void) model.find_tensor(t.info->name);
    }
    return 0;
}

} // namespace gc_fuzz

GC_FUZZ_ENTRY(fuzz_gguf)
