// ggufcheck inspect FILE... [--json]
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "check/inspect.h"
#include "commands.h"

int cmd_inspect(int argc, char ** argv) {
    bool as_json = false;
    std::vector<std::string> paths;
    for (int i = 0; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--json")) as_json = true;
        else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            std::fprintf(stderr, "inspect: unknown option %s\n", argv[i]);
            return 1;
        } else paths.push_back(argv[i]);
    }
    if (paths.empty()) {
        std::fprintf(stderr, "usage: ggufcheck inspect FILE... [--json]\n");
        return 1;
    }
    gc::file_set sources;
    for (const auto & p : paths) {
        std::string error;
        auto src = gc::byte_source_open_file(p, &error);
        if (!src) {
            std::fprintf(stderr, "inspect: %s\n", error.c_str());
            return 1;
        }
        sources.push_back(gc::byte_source_read_ahead(std::move(src)));
    }
    const gc::gguf_model model = gc::gguf_load(sources);
    if (as_json) {
        std::printf("%s\n", gc::json_dump(gc::inspect_report(model), 1).c_str());
    } else {
        std::fputs(gc::inspect_text(model).c_str(), stdout);
    }
    if (!model.usable) return 1;
    return gc::findings_have_errors(model.findings) ? 2 : 0;
}
