#include "forward/what-if.h"

#include <algorithm>
#include <cctype>

#include "model/hf-map.h"

namespace gc {

namespace {

bool ends_with(const std::string & s, const char * suffix) {
    const std::string x = suffix;
    return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

// "blk.N" -> N; -1 otherwise.
int64_t parse_layer_selector(const std::string & s) {
    if (s.rfind("blk.", 0) != 0 || s.size() == 4 || s.size() > 12) return -1;
    int64_t n = 0;
    for (size_t i = 4; i < s.size(); ++i) {
        if (!std::isdigit((unsigned char) s[i])) return -1;
        n = n * 10 + (s[i] - '0');
    }
    return n;
}

bool selector_matches(const std::string & sel, const std::string & name) {
    if (sel == "all" || sel == name || sel + ".weight" == name) return true;
    const std::string cls = tensor_class(name);
    if (sel == "norms") return ends_with(cls, "norm");
    const int64_t layer = parse_layer_selector(sel);
    if (layer >= 0) return tensor_layer(name) == layer;
    return cls == sel;
}

} // namespace

std::vector<std::string> model_tensor_names(const model_desc & d) {
    std::vector<std::string> out;
    auto add = [&](const std::string & n) {
        if (!n.empty() && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    };
    add(d.tok_embd);
    for (const layer_desc & L : d.layers) {
        for (const std::string * n : { &L.attn_norm, &L.wq, &L.wk, &L.wv, &L.wo, &L.q_norm, &L.k_norm,
                                       &L.post_attn_norm, &L.ffn_norm, &L.ffn_gate, &L.ffn_up, &L.ffn_down,
                                       &L.post_ffn_norm, &L.out_scale, &L.rope_freqs }) {
            if (n == &L.wv && L.v_from_k) continue;
            add(*n);
        }
    }
    add(d.output_norm);
    add(d.output);
    return out;
}

bool what_if_select(const model_desc & desc, const std::string & spec, std::vector<std::string> & names,
                    std::string * error) {
    names.clear();
    const std::vector<std::string> all = model_tensor_names(desc);
    size_t start = 0;
    bool any_selector = false;
    while (start <= spec.size()) {
        size_t end = spec.find(',', start);
        if (end == std::string::npos) end = spec.size();
        const std::string sel = spec.substr(start, end - start);
        start = end + 1;
        if (sel.empty()) continue;
        any_selector = true;
        bool hit = false;
        for (const std::string & n : all) {
            if (!selector_matches(sel, n)) continue;
            hit = true;
            if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
        }
        if (!hit) {
            if (error) *error = "what-if selector '" + sel + "' matches no tensor of this model";
            return false;
        }
    }
    if (!any_selector) {
        if (error) *error = "empty what-if class";
        return false;
    }
    return true;
}

weight_source_redirect::weight_source_redirect(weight_source & base, weight_source & alt,
                                               const std::vector<std::string> & names)
    : base_(base), alt_(alt) {
    for (const std::string & n : names) {
        const weight_tensor * a = alt_.find(n);
        const weight_tensor * b = base_.find(n);
        if (a && (!b || (a->n_cols == b->n_cols && a->n_rows == b->n_rows))) {
            from_alt_.insert(n);
            redirected_.push_back(n);
        } else {
            skipped_.push_back(n);
        }
    }
}

const weight_tensor * weight_source_redirect::find(const std::string & name) const {
    return from_alt_.count(name) ? alt_.find(name) : base_.find(name);
}

bool weight_source_redirect::read_rows(const weight_tensor & t, int64_t r0, int64_t nr, float * dst,
                                       std::string * error) {
    if (!from_alt_.count(t.name)) return base_.read_rows(t, r0, nr, dst, error);
    std::string e;
    if (!alt_.read_rows(t, r0, nr, dst, &e)) {
        if (error) *error = "reference (what-if): " + e;
        return false;
    }
    return true;
}

} // namespace gc
