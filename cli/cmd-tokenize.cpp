// ggufcheck tokenize MODEL (--text STR | --file F | --ids F) [--add-special] [--parse-special] [--json] [--time]
//
// Prints the model's own token ids for a text, as llama.cpp would produce
// them: the text alone unless --add-special (then BOS/EOS as the model asks).
// --file F reads text, or token ids when F ends in .ids, .json or .i32 (see
// core/tokenizer/token-ids.h); --ids F always reads token ids. Ids given as
// input are checked against the vocabulary and printed back.
// Output: the ids on one line, space-separated; --json: {"ids": [...], "pieces": [...]}.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "check/inspect.h"
#include "commands.h"
#include "format/gguf.h"
#include "tokenizer/token-ids.h"
#include "tokenizer/tokenize-report.h"
#include "tokenizer/tokenizer.h"

namespace {

const char * k_usage =
    "usage: ggufcheck tokenize MODEL... (--text STR | --file F | --ids F) [--add-special] [--parse-special] [--json] [--time]\n";

bool read_whole(const std::string & path, std::string & out) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return false;
    std::ostringstream ss;
    ss << f.rdbuf();
    out = ss.str();
    return true;
}

void print_findings(const gc::finding_list & list) {
    for (const auto & f : list) {
        std::fprintf(stderr, "%s %s: %s\n", gc::severity_name(f.level), f.code.c_str(), f.message.c_str());
    }
}

} // namespace

int cmd_tokenize(int argc, char ** argv) {
    std::vector<std::string> models;
    std::string text, file, ids_file;
    bool have_text = false, add_special = false, parse_special = false, as_json = false, timing = false;
    for (int i = 0; i < argc; ++i) {
        const char * a = argv[i];
        const bool has_value = i + 1 < argc;
        if (!std::strcmp(a, "--text") && has_value) { text = argv[++i]; have_text = true; }
        else if (!std::strcmp(a, "--file") && has_value) file = argv[++i];
        else if (!std::strcmp(a, "--ids") && has_value) ids_file = argv[++i];
        else if (!std::strcmp(a, "--add-special")) add_special = true;
        else if (!std::strcmp(a, "--parse-special")) parse_special = true;
        else if (!std::strcmp(a, "--json")) as_json = true;
        else if (!std::strcmp(a, "--time")) timing = true;
        else if (a[0] == '-' && a[1] != '\0') {
            std::fprintf(stderr, "tokenize: unknown option or missing value: %s\n%s", a, k_usage);
            return 1;
        } else models.push_back(a);
    }
    if (models.empty() || (have_text + !file.empty() + !ids_file.empty()) != 1) {
        std::fputs(k_usage, stderr);
        return 1;
    }
    if (!file.empty() && gc::token_ids_file_name(file)) std::swap(file, ids_file);

    gc::file_set sources;
    for (const auto & p : models) {
        std::string error;
        auto src = gc::byte_source_open_file(p, &error);
        if (!src) {
            std::fprintf(stderr, "tokenize: %s\n", error.c_str());
            return 1;
        }
        sources.push_back(gc::byte_source_read_ahead(std::move(src)));
    }
    const gc::gguf_model model = gc::gguf_load(sources);
    if (!model.usable) {
        print_findings(model.findings);
        return 1;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const gc::tokenizer_load_result loaded = gc::tokenizer_from_gguf(model);
    const auto t1 = std::chrono::steady_clock::now();
    print_findings(loaded.findings);
    const gc::tokenizer * tok = loaded.tok.get();

    std::vector<int32_t> ids;
    if (!ids_file.empty()) {
        std::string bytes, error;
        if (!read_whole(ids_file, bytes)) {
            std::fprintf(stderr, "tokenize: cannot read %s\n", ids_file.c_str());
            return 1;
        }
        if (!gc::token_ids_parse(ids_file, bytes, ids, &error)) {
            std::fprintf(stderr, "tokenize: %s: %s\n", ids_file.c_str(), error.c_str());
            return 1;
        }
        const size_t n_vocab = tok ? tok->n_tokens() : 0;
        if (tok) {
            const int64_t bad = gc::token_ids_check(ids, n_vocab);
            if (bad >= 0) {
                std::fprintf(stderr, "tokenize: %s: id %d at index %lld is outside the vocabulary (%zu tokens)\n",
                             ids_file.c_str(), ids[(size_t) bad], (long long) bad, n_vocab);
                return 1;
            }
        }
    } else {
        if (!tok) {
            std::fprintf(stderr, "tokenize: no tokenizer for this model (see above); give token ids with --ids\n");
            return 1;
        }
        if (!file.empty() && !read_whole(file, text)) {
            std::fprintf(stderr, "tokenize: cannot read %s\n", file.c_str());
            return 1;
        }
        ids = tok->tokenize(text, add_special, parse_special);
        if (tok->dropped_bytes() > 0) {
            std::fprintf(stderr, "warning tokenizer_dropped_bytes: %zu bytes had no token and were dropped\n", tok->dropped_bytes());
        }
    }
    const auto t2 = std::chrono::steady_clock::now();
    if (timing) {
        std::fprintf(stderr, "bench tokenize: vocab %.3f s, %zu bytes -> %zu tokens in %.3f s\n",
                     std::chrono::duration<double>(t1 - t0).count(), text.size(), ids.size(),
                     std::chrono::duration<double>(t2 - t1).count());
    }

    if (as_json) {
        std::printf("%s\n", gc::json_dump(gc::tokenize_report(tok, ids), -1).c_str());
    } else {
        std::string line;
        for (size_t i = 0; i < ids.size(); ++i) {
            if (i) line += ' ';
            line += std::to_string(ids[i]);
        }
        std::printf("%s\n", line.c_str());
    }
    return 0;
}
