// ggufcheck: the native CLI over the same core as the page.
#include <cstdio>
#include <cstring>

#include "commands.h"

namespace {

struct command {
    const char * name;
    int (*run)(int argc, char ** argv);
    const char * usage;
};

const command k_commands[] = {
    { "inspect", cmd_inspect, "inspect FILE... [--json]          structure, metadata, tensors, integrity findings" },
    { "compare", cmd_compare, "compare CAND... [--ref REF...] [--quick] [--json]   weights vs the original checkpoint or a reference GGUF (or alone)" },
    { "report", cmd_report, "report CAND... [--ref REF...] [--quick] [--sha256] [--ppl-json FILE] [--json]   Markdown report for an issue tracker" },
    { "ppl", cmd_ppl, "ppl MODEL... (-f TEXT | --tokens FILE) [-c 512] [--chunks N] [--ref REF...] [--json]   perplexity, KLD vs a reference" },
    { "tokenize", cmd_tokenize, "tokenize MODEL (--text STR | --file F | --ids F) [--add-special] [--json]   the model's own token ids (as llama.cpp)" },
    { "dequant", cmd_dequant, "dequant FILE... TENSOR [--rows A:B] [--ref] --out OUT.f32 | dequant FILE... --stats [--json]   decoded values / per-tensor value statistics" },
    { "bench", cmd_bench, "bench dequant [--type NAME] [--elems N] [--json]   dequant throughput per type, scalar vs SIMD, one thread" },
};

void print_usage() {
    std::fprintf(stderr, "usage: ggufcheck <command> [args]\n\ncommands:\n");
    for (const auto & c : k_commands) std::fprintf(stderr, "  %s\n", c.usage);
}

} // namespace

int main(int argc, char ** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        print_usage();
        return argc < 2 ? 1 : 0;
    }
    for (const auto & c : k_commands) {
        if (!std::strcmp(argv[1], c.name)) return c.run(argc - 2, argv + 2);
    }
    std::fprintf(stderr, "ggufcheck: unknown command '%s'\n\n", argv[1]);
    print_usage();
    return 1;
}
