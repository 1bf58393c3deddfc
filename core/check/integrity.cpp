// Integrity checks of a GGUF model (see integrity.h).
#include "check/integrity.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "format/ggml-types.h"

namespace gc {

std::string format_bytes(uint64_t n) {
    char buf[64];
    if (n < 1024) {
        std::snprintf(buf, sizeof buf, "%llu bytes", (unsigned long long) n);
    } else if (n < 1024ull * 1024) {
        std::snprintf(buf, sizeof buf, "%.1f KiB", n / 1024.0);
    } else if (n < 1024ull * 1024 * 1024) {
        std::snprintf(buf, sizeof buf, "%.1f MiB", n / (1024.0 * 1024));
    } else {
        std::snprintf(buf, sizeof buf, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
    return buf;
}

namespace {

// "a, b, c and 12 more"
std::string name_list(const std::vector<std::string> & names, size_t shown = 3) {
    std::string s;
    for (size_t i = 0; i < names.size() && i < shown; ++i) {
        if (i) s += ", ";
        s += names[i];
    }
    if (names.size() > shown) s += " and " + std::to_string(names.size() - shown) + " more";
    return s;
}

finding make(severity level, std::string code, std::string message, const std::string & file,
             std::string tensor = {}, std::optional<uint64_t> offset = {}) {
    finding f;
    f.level = level;
    f.code = std::move(code);
    f.message = std::move(message);
    f.file = file;
    f.tensor = std::move(tensor);
    f.offset = offset;
    return f;
}

// Layer index of "blk.N.*", or -1.
int64_t layer_of(const std::string & name) {
    if (name.compare(0, 4, "blk.") != 0) return -1;
    int64_t n = 0;
    size_t i = 4;
    if (i >= name.size() || name[i] < '0' || name[i] > '9') return -1;
    for (; i < name.size() && name[i] >= '0' && name[i] <= '9'; ++i) {
        n = n * 10 + (name[i] - '0');
        if (n > 1'000'000) return -1;
    }
    return (i < name.size() && name[i] == '.') ? n : -1;
}

std::string shape_string(const gguf_tensor_info & ti) {
    std::string s = "[";
    for (uint32_t d = 0; d < ti.n_dims; ++d) {
        if (d) s += ", ";
        s += std::to_string(ti.ne[d]);
    }
    return s + "]";
}

void check_types_and_shapes(gguf_model & model) {
    std::map<uint32_t, std::vector<std::string>> unknown, retired;
    for (const auto & t : model.tensors) {
        const gguf_tensor_info & ti = *t.info;
        const std::string & file = model.parts[t.part].name;
        if (ti.n_dims == 0) {
            model.findings.push_back(make(severity::error, "bad_tensor_dims",
                "tensor " + ti.name + " declares 0 dimensions; a tensor needs 1 to 4. The file is malformed.",
                file, ti.name, ti.info_offset));
            continue;
        }
        const ggml_type_info * type = ggml_type_get(ti.type);
        if (!type) {
            unknown[ti.type].push_back(ti.name);
            continue;
        }
        if (type->retired) {
            retired[ti.type].push_back(ti.name);
            continue;
        }
        if (ti.ne[0] % (uint64_t) type->block_size != 0) {
            model.findings.push_back(make(severity::error, "bad_row_size",
                "tensor " + ti.name + " has rows of " + std::to_string(ti.ne[0]) + " elements, not a multiple of " +
                    type->name + "'s block of " + std::to_string(type->block_size) + "; no quantizer writes this. The file is malformed.",
                file, ti.name, ti.info_offset));
        } else if (!t.nbytes) {
            model.findings.push_back(make(severity::error, "bad_tensor_size",
                "tensor " + ti.name + " of shape " + shape_string(ti) + " has a byte size that overflows 64 bits. The file is malformed.",
                file, ti.name, ti.info_offset));
        }
    }
    for (const auto & [id, names] : unknown) {
        std::string what = "type id " + std::to_string(id);
        if (id >= 64 && id <= 66) what += " (not an upstream ggml type; Unsloth's forks use 64-66 for narrow IQ1 types)";
        else what += " (not an upstream ggml type; likely from a fork such as ik_llama.cpp)";
        model.findings.push_back(make(severity::warning, "unknown_type",
            what + " is used by " + std::to_string(names.size()) + " tensor(s): " + name_list(names) +
                ". These tensors cannot be decoded or checked and are skipped; upstream llama.cpp cannot load this file.",
            "", names.front()));
    }
    for (const auto & [id, names] : retired) {
        model.findings.push_back(make(severity::error, "retired_type",
            std::string("type ") + ggml_type_get(id)->name + " (id " + std::to_string(id) + ") was removed from ggml; " +
                std::to_string(names.size()) + " tensor(s) use it: " + name_list(names) + ". Current llama.cpp cannot load this file; re-quantize it.",
            "", names.front()));
    }
}

void check_extents(gguf_model & model) {
    for (size_t p = 0; p < model.parts.size(); ++p) {
        const gguf_file & f = model.parts[p];
        std::vector<const gguf_tensor *> in_part;
        for (const auto & t : model.tensors) {
            if (t.part == p) in_part.push_back(&t);
        }
        // Alignment of each tensor's offset.
        for (const gguf_tensor * t : in_part) {
            if (t->info->offset % f.alignment != 0) {
                model.findings.push_back(make(severity::error, "misaligned",
                    "tensor " + t->info->name + " starts at data offset " + std::to_string(t->info->offset) +
                        ", not a multiple of the alignment " + std::to_string(f.alignment) + ". The file is malformed.",
                    f.name, t->info->name, t->data_offset));
            }
        }
        // Truncation: tensors whose bytes reach past the end of the file.
        uint64_t need = f.tensor_data_offset;
        std::vector<std::string> cut;
        for (const gguf_tensor * t : in_part) {
            const uint64_t size = t->nbytes.value_or(0);
            const uint64_t end = (t->data_offset > UINT64_MAX - size) ? UINT64_MAX : t->data_offset + size;
            if (end > f.file_size) cut.push_back(t->info->name);
            need = std::max(need, end);
        }
        if (!cut.empty()) {
            const bool absurd = need == UINT64_MAX || need - f.file_size > (uint64_t) 1 << 50;
            std::string msg;
            if (absurd) {
                msg = f.name + ": tensor offsets point far past the end of the file (" + std::to_string(cut.size()) +
                      " tensor(s): " + name_list(cut) + "). The header is corrupt.";
            } else {
                const uint64_t missing = need - f.file_size;
                msg = f.name + " is " + (missing < 1024 ? std::string() : format_bytes(missing) + " (") + std::to_string(missing) +
                      (missing < 1024 ? " bytes" : " bytes)") + " shorter than its tensors need: " + std::to_string(cut.size()) + " tensor(s) are cut off or missing (" +
                      name_list(cut) + "). The download is incomplete; download it again and compare its sha256.";
            }
            finding fd = make(severity::error, "truncated", msg, f.name, cut.front(), f.file_size);
            model.findings.push_back(std::move(fd));
        }
        // Overlaps: sort by offset, compare neighbours.
        std::vector<const gguf_tensor *> sorted;
        for (const gguf_tensor * t : in_part) {
            if (t->nbytes) sorted.push_back(t);
        }
        std::sort(sorted.begin(), sorted.end(), [](const gguf_tensor * a, const gguf_tensor * b) { return a->info->offset < b->info->offset; });
        int reported = 0;
        for (size_t i = 1; i < sorted.size(); ++i) {
            const gguf_tensor * a = sorted[i - 1];
            const gguf_tensor * b = sorted[i];
            if (a->info->offset + *a->nbytes > b->info->offset && reported < 8) {
                ++reported;
                model.findings.push_back(make(severity::error, "overlap",
                    "tensors " + a->info->name + " and " + b->info->name + " share bytes: " + a->info->name + " ends at data offset " +
                        std::to_string(a->info->offset + *a->nbytes) + ", " + b->info->name + " starts at " + std::to_string(b->info->offset) +
                        ". The file is malformed.",
                    f.name, b->info->name, b->data_offset));
            }
        }
    }
}

void check_names(gguf_model & model) {
    std::unordered_map<std::string, int> seen;
    std::vector<std::string> dups;
    for (const auto & t : model.tensors) {
        if (++seen[t.info->name] == 2) dups.push_back(t.info->name);
    }
    if (!dups.empty()) {
        model.findings.push_back(make(severity::error, "duplicate_tensor",
            std::to_string(dups.size()) + " tensor name(s) occur more than once: " + name_list(dups) + ". Loaders reject this file.",
            "", dups.front()));
    }
}

void check_alignment_key(gguf_model & model) {
    for (const auto & f : model.parts) {
        const gguf_kv * a = f.find_kv("general.alignment");
        if (!a) continue;
        auto v = a->value.as_int();
        if (a->value.type != gguf_type::UINT32 || !v || *v <= 0 || (*v & (*v - 1)) != 0) {
            model.findings.push_back(make(severity::error, "bad_alignment",
                "general.alignment must be a power of two stored as UINT32; this file has " +
                    (v ? std::to_string(*v) : std::string("a ") + gguf_type_name(a->value.type) + " value") + ". 32 was assumed.",
                f.name, "", a->offset));
        }
    }
}

// The name of part `no` (0-based) of a set whose part 0 is named like
// "model-00001-of-00003.gguf".
std::string split_part_name(const std::string & some_part, int64_t no, int64_t count) {
    const size_t at = some_part.rfind("-of-");
    if (at == std::string::npos || at < 5) return "part " + std::to_string(no + 1) + " of " + std::to_string(count);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%05lld-of-%05lld", (long long) no + 1, (long long) count);
    return some_part.substr(0, at - 5) + buf + some_part.substr(std::min(some_part.size(), at + 9));
}

void check_split(gguf_model & model) {
    auto get = [](const gguf_file & f, const char * key) -> std::optional<int64_t> {
        const gguf_kv * kv = f.find_kv(key);
        return kv ? kv->value.as_int() : std::nullopt;
    };
    const gguf_file & first = model.parts.front();
    const auto count = get(first, "split.count");
    if (!count) {
        if (model.parts.size() > 1) {
            std::vector<std::string> names;
            for (const auto & f : model.parts) names.push_back(f.name);
            model.findings.push_back(make(severity::error, "not_a_split_set",
                std::to_string(model.parts.size()) + " GGUF files were given as one model (" + name_list(names, 4) +
                    "), but they are not parts of a split set. Check one model at a time.",
                ""));
        }
        return;
    }
    std::set<int64_t> present;
    for (const auto & f : model.parts) {
        const auto no = get(f, "split.no");
        const auto c = get(f, "split.count");
        if (!no || !c || *c != *count || *no < 0 || *no >= *count) {
            model.findings.push_back(make(severity::error, "bad_split_part",
                f.name + " does not belong to the same split set as " + first.name + " (split.no/split.count differ).", f.name));
            continue;
        }
        if (!present.insert(*no).second) {
            model.findings.push_back(make(severity::error, "duplicate_split_part",
                "split part " + std::to_string(*no + 1) + " of " + std::to_string(*count) + " was given twice (" + f.name + ").", f.name));
        }
    }
    std::vector<std::string> missing;
    for (int64_t no = 0; no < *count && no < 100000; ++no) {
        if (!present.count(no)) missing.push_back(split_part_name(first.name, no, *count));
    }
    if (!missing.empty()) {
        model.findings.push_back(make(severity::error, "missing_split_part",
            "this model is split into " + std::to_string(*count) + " files and " + std::to_string(missing.size()) +
                " are missing: " + name_list(missing, 4) + ". Add all parts of the set.",
            first.name));
    } else if (const auto total = get(first, "split.tensors.count"); total && *total != (int64_t) model.tensors.size()) {
        model.findings.push_back(make(severity::error, "split_tensor_count",
            "the split set declares " + std::to_string(*total) + " tensors (split.tensors.count) but its parts hold " +
                std::to_string(model.tensors.size()) + ".",
            first.name));
    }
}

void check_metadata_vs_tensors(gguf_model & model) {
    const std::string file = model.parts.front().name;
    const std::string arch = model.architecture();
    if (arch.empty()) {
        model.findings.push_back(make(severity::warning, "no_architecture",
            "general.architecture is missing: this file does not say what model it holds.", file));
    }
    // block_count vs blk.N tensors
    std::set<int64_t> layers;
    for (const auto & t : model.tensors) {
        const int64_t l = layer_of(t.info->name);
        if (l >= 0) layers.insert(l);
    }
    if (auto n = model.arch_int("block_count"); n && !model.tensors.empty()) {
        std::vector<std::string> absent;
        for (int64_t l = 0; l < *n && l < 100000; ++l) {
            if (!layers.count(l)) absent.push_back("blk." + std::to_string(l));
        }
        std::vector<std::string> extra;
        for (int64_t l : layers) {
            if (l >= *n) extra.push_back("blk." + std::to_string(l));
        }
        if (!absent.empty() || !extra.empty()) {
            std::string msg = arch + ".block_count says " + std::to_string(*n) + " layers, but ";
            if (!absent.empty()) msg += "no tensors exist for " + name_list(absent);
            if (!absent.empty() && !extra.empty()) msg += " and ";
            if (!extra.empty()) msg += "tensors exist for " + name_list(extra);
            msg += ".";
            model.findings.push_back(make(severity::error, "block_count_mismatch", msg, file));
        }
    }
    // vocabulary size vs token_embd rows
    const gguf_kv * tokens = model.find_kv("tokenizer.ggml.tokens");
    const gguf_tensor * embd = model.find_tensor("token_embd.weight");
    if (tokens && tokens->value.is_array() && embd && embd->info->n_dims >= 2) {
        const uint64_t n_vocab = tokens->value.count;
        const uint64_t rows = embd->info->ne[1];
        if (n_vocab > rows) {
            model.findings.push_back(make(severity::error, "vocab_mismatch",
                "the tokenizer has " + std::to_string(n_vocab) + " tokens but token_embd.weight has only " + std::to_string(rows) +
                    " rows: token ids past " + std::to_string(rows - 1) + " have no embedding.",
                file, "token_embd.weight"));
        } else if (n_vocab < rows) {
            model.findings.push_back(make(severity::info, "vocab_padded",
                "token_embd.weight has " + std::to_string(rows) + " rows for " + std::to_string(n_vocab) +
                    " tokens (padded embedding; usually harmless).",
                file, "token_embd.weight"));
        }
    }
}

} // namespace

void integrity_check(gguf_model & model) {
    if (model.parts.empty()) return;
    check_split(model);
    check_alignment_key(model);
    check_types_and_shapes(model);
    check_extents(model);
    check_names(model);
    check_metadata_vs_tensors(model);
}

} // namespace gc
