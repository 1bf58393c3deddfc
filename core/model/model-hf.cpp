// model_desc_for_hf (model.h): the candidate's recipe with the reference
// config's hyper-parameters, and a finding for each one that differs.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "model/arch.h"

namespace gc {

namespace {

std::string num_text(double v) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

bool same(double a, double b) {
    return a == b || std::fabs(a - b) <= 1e-6 * std::max(std::fabs(a), std::fabs(b));
}

} // namespace

const nlohmann::json * hf_config_sync::value(const std::string & key) const {
    const size_t dot = key.find('.');
    const nlohmann::json * v = hf.config_value(key.substr(0, dot));
    for (size_t pos = dot; v && pos != std::string::npos;) {
        const size_t next = key.find('.', pos + 1);
        const std::string part = key.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
        if (!v->is_object()) return nullptr;
        auto it = v->find(part);
        v = (it == v->end() || it->is_null()) ? nullptr : &*it;
        pos = next;
    }
    return v;
}

std::optional<double> hf_config_sync::number(const std::string & key) const {
    const nlohmann::json * v = value(key);
    if (!v || !v->is_number()) return std::nullopt;
    const double d = v->get<double>();
    return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
}

double hf_config_sync::sync_value(const std::string & gguf_key, double gguf_value, std::optional<double> cfg,
                                  const std::string & cfg_key, bool structural, const std::string & where) {
    if (!cfg || same(gguf_value, *cfg)) return gguf_value;
    findings.push_back({ structural ? severity::error : severity::warning, "hparam_mismatch",
        "the candidate's " + arch + "." + gguf_key + (where.empty() ? "" : " (" + where + ")") + " is " + num_text(gguf_value) +
        " but the reference's config.json says " + cfg_key + " = " + num_text(*cfg) +
        "; the reference runs with the config's value" +
        (structural ? "" : ", so if the GGUF metadata is wrong its PPL and KLD show it") + ".", "", "", {} });
    return *cfg;
}

double hf_config_sync::sync(const std::string & gguf_key, double gguf_value, const std::string & cfg_key, bool structural,
                            const std::string & where) {
    return sync_value(gguf_key, gguf_value, number(cfg_key), cfg_key, structural, where);
}

void model_desc_for_hf(const model_desc & cand, const hf_model & hf, model_desc & out, finding_list & findings) {
    out = cand;
    if (!hf.config.is_object()) {
        findings.push_back({ severity::warning, "no_config", "the reference has no config.json: it runs with the candidate's "
            "hyper-parameters, so wrong GGUF metadata would go unnoticed.", "", "", {} });
        return;
    }
    hf_config_sync c{ hf, findings, cand.arch };
    // Shared keys. Structural ones are only reported (the tensors decide
    // whether the pair can run); scalars are taken from the config.
    c.sync("block_count", (double) cand.layers.size(), "num_hidden_layers", true);
    c.sync("embedding_length", cand.n_embd, "hidden_size", true);
    c.sync("vocab_size (rows of token_embd)", cand.n_vocab, "vocab_size", true);
    out.norm_eps = (float) c.sync("attention.layer_norm_rms_epsilon", cand.norm_eps, "rms_norm_eps", false);
    if (!cand.layers.empty()) {
        const double n_ff = c.sync("feed_forward_length", cand.layers[0].n_ff, "intermediate_size", true);
        const double n_head = c.sync("attention.head_count", cand.layers[0].n_head, "num_attention_heads", true);
        for (layer_desc & L : out.layers) {
            L.n_ff = (int32_t) n_ff;
            L.n_head = (int32_t) n_head;
        }
    }
    if (cand.arch == "llama") arch_llama_sync_hf(c, out);
    else if (cand.arch == "gemma3") arch_gemma3_sync_hf(c, out);
    else if (cand.arch == "gemma4") arch_gemma4_sync_hf(c, out);
}

} // namespace gc
