#include "check/reference.h"

#include <set>

namespace gc {

bool reference_open(file_set & files, const std::string & cand_arch, reference_model & out, std::string * error) {
    bool any_gguf = false;
    for (const auto & f : files) {
        const std::string & n = f->name();
        any_gguf = any_gguf || (n.size() >= 5 && n.compare(n.size() - 5, 5, ".gguf") == 0);
    }
    if (any_gguf) {
        out.kind = "gguf";
        out.gguf = gguf_load(files);
        out.findings = out.gguf.findings;
        if (!out.gguf.usable) {
            if (error) *error = "the reference GGUF cannot be read (see its findings); drop a readable reference or none";
            return false;
        }
        const std::string arch = out.gguf.architecture();
        if (!cand_arch.empty() && !arch.empty() && arch != cand_arch) {
            out.findings.push_back({ severity::error, "architecture_mismatch", "the reference is a " + arch +
                " model but the candidate is " + cand_arch + ": they cannot be compared. Drop the reference of this very model "
                "(its Hugging Face folder, or its F16/BF16/Q8_0 GGUF) instead.", "", "", {} });
        }
        out.description = "reference GGUF (" + arch + ", " + std::to_string(out.gguf.tensors.size()) + " tensors)";
        out.weights = weight_source_gguf(out.gguf, files);
        return true;
    }
    out.kind = "hf";
    out.hf = hf_load(files);
    out.findings = out.hf.findings;
    if (!out.hf.usable) {
        if (error) *error = "no readable safetensors file in the reference (see its findings): drop the *.safetensors files "
                                "together with config.json (and *.safetensors.index.json for a sharded checkpoint)";
        return false;
    }
    out.family = hf_family_detect(out.hf, cand_arch);
    if (!out.family.known) {
        out.findings.push_back({ severity::warning, "unknown_architecture",
            "the reference's architecture (" + (out.hf.model_type().empty() ? std::string("no model_type") : out.hf.model_type()) +
            ") is not one this checker knows; tensors are matched by llama-style names and shapes only, with no conversion transforms undone.",
            "", "", {} });
    } else if (!cand_arch.empty() && out.family.name != "unknown") {
        const hf_family cand_family = hf_family_detect(hf_model{}, cand_arch);
        if (cand_family.known && cand_family.name != out.family.name) {
            out.findings.push_back({ severity::error, "architecture_mismatch", "the reference is a " + out.family.name +
                " checkpoint but the candidate is " + cand_arch + ": they cannot be compared. Drop the Hugging Face folder "
                "of this very model (the repository the GGUF was converted from) instead.", "", "", {} });
        }
    }
    std::set<std::string> dtypes;
    for (const auto & t : out.hf.tensors) dtypes.insert(t.dtype_name);
    std::string dt;
    for (const auto & d : dtypes) dt += (dt.empty() ? "" : "/") + d;
    out.description = "Hugging Face checkpoint (" + out.family.name + ", " + std::to_string(out.hf.shards.size()) + " shard(s), " + dt + ")";
    out.weights = weight_source_hf(out.hf, files, out.family);
    return true;
}

} // namespace gc
