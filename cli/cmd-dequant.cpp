// ggufcheck dequant FILE... TENSOR [--rows A:B] [--ref] --out OUT.f32
//   writes rows [A, B) of TENSOR as raw little-endian float32.
// ggufcheck dequant FILE... --stats [--json] [--ref]
//   per tensor: min, max, mean, std, NaN / Inf / subnormal counts, all-zero
//   blocks, blocks whose scale is zero or NaN/Inf. Tensors of unknown or
//   retired types are listed as skipped. Exit 2 when any tensor holds NaN or
//   Inf values or non-finite block scales.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "check/value-scan.h"
#include "commands.h"
#include "format/ggml-types.h"
#include "format/gguf.h"
#include "quant/dequant-rows.h"
#include "quant/dequant.h"
#include "quant/tensor-stats.h"

namespace {

const char * k_usage =
    "usage: ggufcheck dequant FILE... TENSOR [--rows A:B] [--ref] --out OUT.f32\n"
    "       ggufcheck dequant FILE... --stats [--json] [--ref]\n";

std::string shape_text(const gc::gguf_tensor_info & ti) {
    std::string s;
    for (uint32_t d = 0; d < ti.n_dims && d < gc::GGUF_MAX_DIMS; ++d) s += (d ? " x " : "") + std::to_string(ti.ne[d]);
    return s.empty() ? "scalar" : s;
}

std::string type_name(uint32_t id) {
    const gc::ggml_type_info * t = gc::ggml_type_get(id);
    return t ? t->name : "unknown(" + std::to_string(id) + ")";
}

bool parse_rows(const char * s, uint64_t * a, uint64_t * b) {
    char * end = nullptr;
    *a = std::strtoull(s, &end, 10);
    if (end == s || *end != ':') return false;
    const char * s2 = end + 1;
    *b = std::strtoull(s2, &end, 10);
    return end != s2 && *end == '\0' && *a <= *b;
}

gc::byte_source & source_of(gc::file_set & sources, const gc::gguf_model & m, const gc::gguf_tensor & t) {
    return *sources[m.part_source[t.part]];
}

// The scan itself is check/value-scan.h (shared with the page).
int run_stats(gc::file_set & sources, const gc::gguf_model & model, bool as_json, const gc::dequant_options & opt) {
    const gc::value_scan_result r = gc::value_scan(sources, model, opt);
    if (as_json) {
        std::printf("%s\n", gc::value_scan_json(r).dump(1).c_str());
        return r.poisoned ? 2 : 0;
    }
    std::printf("%-40s %-8s %12s %12s %12s %12s %6s %6s %6s %8s %8s %8s\n", "tensor", "type", "min", "max", "mean",
                "std", "nan", "inf", "subn", "zeroblk", "scale0", "scaleNF");
    size_t skipped = 0;
    for (const gc::value_scan_row & row : r.rows) {
        if (!row.scanned) {
            std::printf("%-40s %-8s skipped: %s\n", row.name.c_str(), row.type.c_str(), row.reason.c_str());
            ++skipped;
            continue;
        }
        const gc::tensor_stats & st = row.stats;
        std::printf("%-40s %-8s %12.5g %12.5g %12.5g %12.5g %6llu %6llu %6llu %8llu %8llu %8llu\n", row.name.c_str(),
                    row.type.c_str(), st.min, st.max, st.mean, st.std, (unsigned long long) st.n_nan,
                    (unsigned long long) st.n_inf, (unsigned long long) st.n_subnormal,
                    (unsigned long long) st.zero_blocks, (unsigned long long) st.scale_zero_blocks,
                    (unsigned long long) st.scale_nonfinite_blocks);
    }
    if (skipped > 0) std::printf("%zu tensor(s) skipped (type not decodable)\n", skipped);
    return r.poisoned ? 2 : 0;
}

int run_dump(gc::file_set & sources, const gc::gguf_model & model, const std::string & name, bool has_rows,
             uint64_t r0, uint64_t r1, const std::string & out_path, const gc::dequant_options & opt) {
    const gc::gguf_tensor * t = model.find_tensor(name);
    if (!t) {
        std::fprintf(stderr, "dequant: no tensor named '%s'\n", name.c_str());
        return 1;
    }
    gc::tensor_layout lay;
    std::string err;
    if (!gc::tensor_layout_from_gguf(*t, &lay, &err)) {
        std::fprintf(stderr, "dequant: %s\n", err.c_str());
        return 1;
    }
    if (!has_rows) {
        r0 = 0;
        r1 = lay.n_rows;
    }
    if (r1 > lay.n_rows) {
        std::fprintf(stderr, "dequant: rows %llu:%llu outside 0:%llu\n", (unsigned long long) r0, (unsigned long long) r1,
                     (unsigned long long) lay.n_rows);
        return 1;
    }
    std::unique_ptr<FILE, int (*)(FILE *)> out(std::fopen(out_path.c_str(), "wb"), std::fclose);
    if (!out) {
        std::fprintf(stderr, "dequant: cannot write %s\n", out_path.c_str());
        return 1;
    }
    // Stream in tiles of rows, about 16 MiB of floats each (at least one row).
    const uint64_t rows_per_tile = std::max<uint64_t>(1, (16u << 20) / 4 / std::max<uint64_t>(1, lay.ne0));
    std::vector<float> buf;
    for (uint64_t r = r0; r < r1; r += rows_per_tile) {
        const uint64_t re = std::min(r1, r + rows_per_tile);
        buf.resize((size_t) ((re - r) * lay.ne0));
        if (!gc::dequant_rows(source_of(sources, model, *t), lay, r, re, buf.data(), &err, opt)) {
            std::fprintf(stderr, "dequant: %s\n", err.c_str());
            return 1;
        }
        if (std::fwrite(buf.data(), sizeof(float), buf.size(), out.get()) != buf.size()) {
            std::fprintf(stderr, "dequant: write to %s failed\n", out_path.c_str());
            return 1;
        }
    }
    std::fprintf(stderr, "dequant: %s (%s, %s) rows %llu:%llu -> %s (%llu floats)\n", name.c_str(),
                 type_name(t->info->type).c_str(), shape_text(*t->info).c_str(), (unsigned long long) r0,
                 (unsigned long long) r1, out_path.c_str(), (unsigned long long) ((r1 - r0) * lay.ne0));
    return 0;
}

} // namespace

int cmd_dequant(int argc, char ** argv) {
    bool stats = false, as_json = false, has_rows = false;
    uint64_t r0 = 0, r1 = 0;
    std::string out_path;
    gc::dequant_options opt;
    std::vector<std::string> positional;
    for (int i = 0; i < argc; ++i) {
        const char * a = argv[i];
        if (!std::strcmp(a, "--stats")) stats = true;
        else if (!std::strcmp(a, "--json")) as_json = true;
        else if (!std::strcmp(a, "--ref")) opt.use_ref = true;
        else if (!std::strcmp(a, "--rows") && i + 1 < argc) {
            if (!parse_rows(argv[++i], &r0, &r1)) {
                std::fprintf(stderr, "dequant: --rows wants A:B with A <= B, got '%s'\n", argv[i]);
                return 1;
            }
            has_rows = true;
        } else if (!std::strcmp(a, "--out") && i + 1 < argc) out_path = argv[++i];
        else if (a[0] == '-' && a[1] != '\0') {
            std::fprintf(stderr, "dequant: unknown option %s\n%s", a, k_usage);
            return 1;
        } else positional.push_back(a);
    }
    std::string tensor;
    if (!stats) {
        if (positional.size() < 2 || out_path.empty()) {
            std::fputs(k_usage, stderr);
            return 1;
        }
        tensor = positional.back();
        positional.pop_back();
    }
    if (positional.empty()) {
        std::fputs(k_usage, stderr);
        return 1;
    }
    gc::file_set sources;
    for (const auto & path : positional) {
        std::string err;
        auto src = gc::byte_source_open_file(path, &err);
        if (!src) {
            std::fprintf(stderr, "dequant: %s\n", err.c_str());
            return 1;
        }
        sources.push_back(gc::byte_source_read_ahead(std::move(src)));
    }
    const gc::gguf_model model = gc::gguf_load(sources);
    if (!model.usable) {
        for (const auto & f : model.findings) std::fprintf(stderr, "dequant: %s\n", f.message.c_str());
        return 1;
    }
    return stats ? run_stats(sources, model, as_json, opt) : run_dump(sources, model, tensor, has_rows, r0, r1, out_path, opt);
}
