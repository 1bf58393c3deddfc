// tokenizer_from_gguf: the vocabulary, merges, special ids and flags from the
// tokenizer.ggml.* metadata, with llama.cpp's defaults and fix-ups
// (llama-vocab.cpp, llama_vocab::impl::load, read for the facts).
#include <algorithm>
#include <cctype>
#include <optional>

#include "tokenizer/tokenizer.h"

namespace gc {

namespace {

// GGUF token_type values (gguf-py TokenType / llama.cpp LLAMA_TOKEN_TYPE_*).
uint32_t attr_from_token_type(int64_t t) {
    switch (t) {
        case 1: return TOKEN_ATTR_NORMAL;
        case 2: return TOKEN_ATTR_UNKNOWN;
        case 3: return TOKEN_ATTR_CONTROL;
        case 4: return TOKEN_ATTR_USER_DEFINED;
        case 5: return TOKEN_ATTR_UNUSED;
        case 6: return TOKEN_ATTR_BYTE;
        default: return TOKEN_ATTR_UNDEFINED;
    }
}

// How a BPE pre-tokenizer name configures the tokenizer (the subset of
// llama.cpp's table whose patterns are implemented in pre-tokenize.cpp and
// whose models need no other special handling).
struct pre_config {
    const char * name;
    pretok_kind kind;
    bool ignore_merges;
    bool add_bos;
};

const pre_config k_pre_configs[] = {
    { "default",          pretok_kind::def,    false, false },
    // Llama 3 pattern
    { "llama3",           pretok_kind::llama3, true,  true  },
    { "llama-v3",         pretok_kind::llama3, true,  true  },
    { "llama-bpe",        pretok_kind::llama3, true,  true  },
    { "falcon3",          pretok_kind::llama3, true,  true  },
    { "falcon-h1",        pretok_kind::llama3, true,  true  },
    { "pixtral",          pretok_kind::llama3, true,  true  },
    { "midm-2.0",         pretok_kind::llama3, true,  true  },
    { "lfm2",             pretok_kind::llama3, true,  true  },
    { "jina-v5-nano",     pretok_kind::llama3, true,  true  },
    { "dbrx",             pretok_kind::llama3, false, false },
    { "smaug-bpe",        pretok_kind::llama3, false, false },
    // GPT-2 pattern
    { "gpt-2",            pretok_kind::gpt2,   false, false },
    { "phi-2",            pretok_kind::gpt2,   false, false },
    { "gigachat",         pretok_kind::gpt2,   false, false },
    { "a.x-4.0",          pretok_kind::gpt2,   false, false },
    { "mellum",           pretok_kind::gpt2,   false, false },
    { "exaone4",          pretok_kind::gpt2,   false, false },
    { "mpt",              pretok_kind::gpt2,   false, false },
    { "olmo",             pretok_kind::gpt2,   false, false },
    // Qwen2 pattern
    { "qwen2",            pretok_kind::qwen2,  false, false },
    { "deepseek-r1-qwen", pretok_kind::qwen2,  false, false },
    { "kormo",            pretok_kind::qwen2,  false, false },
    { "f2llmv2",          pretok_kind::qwen2,  false, false },
    { "megrez",           pretok_kind::qwen2,  false, false },
    { "stablelm2",        pretok_kind::qwen2,  false, false },
    { "hunyuan",          pretok_kind::qwen2,  false, false },
    { "solar-open",       pretok_kind::qwen2,  false, false },
    // Gemma 4: SentencePiece-style pieces, split at newlines only
    { "gemma4",                   pretok_kind::newlines, false, false },
    { "granite-embed-multi-311m", pretok_kind::newlines, false, false },
};

// Token texts llama.cpp recognises as special whatever their token_type
// (llama-vocab.cpp, "auto-detect special tokens by text"): each such token
// becomes CONTROL.
const char * const k_eot_texts[] = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>",
    "<EOT>", "_<EOT>", "[EOT]", "<\xEF\xBD\x9C" "end\xE2\x96\x81" "of\xE2\x96\x81" "sentence\xEF\xBD\x9C>",
    "<end_of_utterance>",
};
const char * const k_eom_texts[] = { "<|eom_id|>" };
const char * const k_fim_pre_texts[] = {
    "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<\xEF\xBD\x9C" "fim\xE2\x96\x81" "begin\xEF\xBD\x9C>",
    "<PRE>", "\xE2\x96\x81<PRE>", "<|code_prefix|>", "<|prefix|>",
};
const char * const k_fim_suf_texts[] = {
    "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<\xEF\xBD\x9C" "fim\xE2\x96\x81" "hole\xEF\xBD\x9C>",
    "<SUF>", "\xE2\x96\x81<SUF>", "<|code_suffix|>", "<|suffix|>",
};
const char * const k_fim_mid_texts[] = {
    "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<\xEF\xBD\x9C" "fim\xE2\x96\x81" "end\xEF\xBD\x9C>",
    "<MID>", "\xE2\x96\x81<MID>", "<|code_middle|>", "<|middle|>",
};
const char * const k_fim_pad_texts[] = { "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]" };
const char * const k_fim_rep_texts[] = { "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>" };
const char * const k_fim_sep_texts[] = { "<|file_sep|>" };
// End-of-generation texts.
const char * const k_eog_texts[] = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
    "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
    "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
    "<\xEF\xBD\x9C" "end\xE2\x96\x81" "of\xE2\x96\x81" "sentence\xEF\xBD\x9C>", "[e~[",
};
// gpt-oss: always USER_DEFINED (so they are matched in text even without parse_special).
const char * const k_user_defined_texts[] = { "<|channel|>", "<|message|>", "<|start|>", "<|constrain|>" };

template <size_t N>
bool in_list(std::string_view s, const char * const (&list)[N]) {
    for (const char * t : list) {
        if (s == t) return true;
    }
    return false;
}

constexpr size_t MAX_VOCAB = 1u << 24;   // far above any real vocabulary (Gemma: 262,144)

} // namespace

// Friend of tokenizer: fills its private members.
struct tokenizer_builder {
    const gguf_model & model;
    finding_list & findings;
    tokenizer & t;

    void add(severity level, const char * code, std::string message) {
        finding f;
        f.level = level;
        f.code = code;
        f.message = std::move(message);
        findings.push_back(std::move(f));
    }

    const gguf_value * value(const char * key) const {
        const gguf_kv * kv = model.find_kv(key);
        return kv ? &kv->value : nullptr;
    }

    std::optional<std::string> get_string(const char * key) const {
        const gguf_value * v = value(key);
        const std::string * s = v ? v->as_string() : nullptr;
        return s ? std::optional<std::string>(*s) : std::nullopt;
    }

    std::optional<int64_t> get_int(const char * key) const {
        const gguf_value * v = value(key);
        return (v && !v->is_array()) ? v->as_int() : std::nullopt;
    }

    // An array of `elem` (or of one of two element types) with at least `n` elements.
    const gguf_value * get_array(const char * key, std::initializer_list<gguf_type> elems, uint64_t min_count,
                                 bool required, bool & bad) {
        const gguf_value * v = value(key);
        if (!v) {
            if (required) {
                add(severity::error, "tokenizer_bad_metadata", std::string("no ") + key + ": the tokenizer cannot be built");
                bad = true;
            }
            return nullptr;
        }
        bool type_ok = v->is_array() && std::find(elems.begin(), elems.end(), v->elem_type) != elems.end();
        if (!type_ok) {
            add(severity::error, "tokenizer_bad_metadata", std::string(key) + " has the wrong type (" +
                (v->is_array() ? std::string("array of ") + gguf_type_name(v->elem_type) : gguf_type_name(v->type)) +
                "); llama.cpp refuses this vocabulary too");
            bad = true;
            return nullptr;
        }
        if (v->count < min_count) {
            add(severity::error, "tokenizer_bad_metadata", std::string(key) + " has " + std::to_string(v->count) +
                " entries for " + std::to_string(min_count) + " tokens; llama.cpp refuses this vocabulary too");
            bad = true;
            return nullptr;
        }
        return v;
    }

    bool build();
    bool load_tokens(bool & bad);
    void load_merges(const gguf_value & merges);
    int32_t intern(std::string_view s);
    void load_special_ids();
    void fix_up_attributes();
    void build_special_trie();
};

tokenizer_load_result tokenizer_from_gguf(const gguf_model & model) {
    tokenizer_load_result r;
    r.tok.reset(new tokenizer());
    tokenizer_builder b{ model, r.findings, *r.tok };
    if (!b.build()) r.tok.reset();
    return r;
}

bool tokenizer_builder::build() {
    if (!model.usable) {
        add(severity::error, "tokenizer_unsupported", "the model could not be read, so neither could its tokenizer");
        return false;
    }
    const auto model_name = get_string("tokenizer.ggml.model");
    if (!model_name) {
        add(severity::warning, "tokenizer_missing",
            "the file has no tokenizer (tokenizer.ggml.model): perplexity needs a token-id file");
        return false;
    }
    t.model_name_ = *model_name;
    std::string pre = get_string("tokenizer.ggml.pre").value_or("");

    // Vocabulary type and its default special ids (llama.cpp defaults).
    if (t.model_name_ == "llama") {
        t.kind_ = tokenizer_kind::spm;
        t.add_space_prefix_ = true;
        t.add_bos_ = true;
        t.add_eos_ = false;
        pre = "";                     // SentencePiece vocabularies have no pre-tokenizer
    } else if (t.model_name_ == "gpt2" || t.model_name_ == "gemma4") {
        t.kind_ = tokenizer_kind::bpe;
        if (t.model_name_ == "gemma4") pre = "gemma4";
        const pre_config * cfg = nullptr;
        if (pre.empty()) {
            cfg = &k_pre_configs[0];
            add(severity::warning, "tokenizer_pre_missing",
                "no tokenizer.ggml.pre: the 'default' pre-tokenizer is used, as llama.cpp does; for most BPE "
                "models this is not the tokenization the model was trained with (quality degrades). "
                "Regenerate the GGUF with a current converter.");
        } else {
            for (const auto & c : k_pre_configs) {
                if (pre == c.name) cfg = &c;
            }
        }
        if (!cfg) {
            add(severity::warning, "tokenizer_unsupported",
                "pre-tokenizer '" + pre + "' is not supported by ggufcheck (supported: default, gpt-2, llama-bpe, "
                "qwen2, gemma4 and their aliases); perplexity needs a token-id file for this model");
            return false;
        }
        t.pre_ = cfg->kind;
        t.ignore_merges_ = cfg->ignore_merges;
        t.add_bos_ = cfg->add_bos;
        if (cfg->kind == pretok_kind::newlines) {
            // Gemma 4: spaces become U+2581 and BPE runs on raw UTF-8 with
            // <0xXX> byte fallback; a run of newlines that is a token stays whole.
            t.escape_whitespace_ = true;
            t.byte_encode_ = false;
            t.gemma4_newlines_ = true;
        }
        if (t.model_name_ == "gpt2") {
            t.bos_ = 11;
            t.eos_ = 11;
        }
    } else {
        add(severity::warning, "tokenizer_unsupported",
            "tokenizer model '" + t.model_name_ + "' is not supported by ggufcheck (supported: llama, gpt2, gemma4); "
            "perplexity needs a token-id file for this model");
        return false;
    }
    t.pre_name_ = pre.empty() && t.kind_ == tokenizer_kind::bpe ? "default" : pre;
    if (t.kind_ == tokenizer_kind::spm) {
        t.bos_ = 1;
        t.eos_ = 2;
        t.unk_ = 0;
    }

    if (auto v = get_int("tokenizer.ggml.add_space_prefix")) t.add_space_prefix_ = *v != 0;

    bool bad = false;
    if (!load_tokens(bad)) return false;

    if (t.kind_ == tokenizer_kind::bpe) {
        const gguf_value * merges = get_array("tokenizer.ggml.merges", { gguf_type::STRING }, 0, true, bad);
        if (!merges) return false;
        load_merges(*merges);
    }

    load_special_ids();
    if (auto v = get_int("tokenizer.ggml.add_bos_token")) t.add_bos_ = *v != 0;
    if (auto v = get_int("tokenizer.ggml.add_eos_token")) t.add_eos_ = *v != 0;
    if (t.pre_ == pretok_kind::newlines && t.kind_ == tokenizer_kind::bpe && !t.add_bos_) {
        t.add_bos_ = true;   // llama.cpp forces BOS for Gemma 4
        add(severity::info, "tokenizer_add_bos_forced", "add_bos_token=false overridden to true for Gemma 4, as llama.cpp does");
    }
    if (t.add_bos_ && t.bos_ == TOKEN_NULL) {
        add(severity::warning, "tokenizer_bad_special_id", "the model asks for a BOS token but has no valid BOS id; none is added");
        t.add_bos_ = false;
    }
    if (t.add_eos_ && t.eos_ == TOKEN_NULL) {
        add(severity::warning, "tokenizer_bad_special_id", "the model asks for an EOS token but has no valid EOS id; none is added");
        t.add_eos_ = false;
    }

    fix_up_attributes();
    build_special_trie();
    return true;
}

bool tokenizer_builder::load_tokens(bool & bad) {
    const gguf_value * toks = get_array("tokenizer.ggml.tokens", { gguf_type::STRING }, 0, true, bad);
    if (!toks) return false;
    const uint64_t n = toks->count;
    if (n == 0 || n > MAX_VOCAB) {
        add(severity::error, "tokenizer_bad_metadata", "tokenizer.ggml.tokens has " + std::to_string(n) +
            " entries; a vocabulary needs 1 to " + std::to_string(MAX_VOCAB));
        return false;
    }
    const gguf_value * scores = get_array("tokenizer.ggml.scores", { gguf_type::FLOAT32, gguf_type::INT32 }, n, false, bad);
    const gguf_value * types = get_array("tokenizer.ggml.token_type", { gguf_type::INT32 }, n, false, bad);
    if (bad) return false;

    // Texts go into one pool first, then the views are taken (the pool no
    // longer moves). An empty text becomes "[EMPTY_<id>]", as in llama.cpp.
    std::vector<size_t> starts(n + 1);
    for (uint64_t i = 0; i < n; ++i) {
        starts[i] = t.text_pool_.size();
        std::string_view s = toks->array_string(i);
        if (s.empty()) {
            t.text_pool_ += "[EMPTY_" + std::to_string(i) + "]";
        } else {
            t.text_pool_.append(s);
        }
    }
    starts[n] = t.text_pool_.size();

    t.tokens_.resize(n);
    t.piece_to_id_.reserve(n);
    size_t n_dup = 0;
    int32_t first_dup = TOKEN_NULL;
    for (uint64_t i = 0; i < n; ++i) {
        token_entry & e = t.tokens_[i];
        e.text = std::string_view(t.text_pool_).substr(starts[i], starts[i + 1] - starts[i]);
        e.score = scores ? (float) scores->array_number(i) : 0.0f;
        e.attr = types ? attr_from_token_type(types->array_int(i)) : TOKEN_ATTR_NORMAL;
        auto [it, inserted] = t.piece_to_id_.emplace(e.text, (int32_t) i);
        if (!inserted) {
            it->second = (int32_t) i;   // the last one wins, as in llama.cpp's map assignment
            if (n_dup++ == 0) first_dup = (int32_t) i;
        }
    }
    if (n_dup > 0) {
        add(severity::warning, "tokenizer_duplicate_token",
            std::to_string(n_dup) + " token texts occur more than once (first: id " + std::to_string(first_dup) +
            "); llama.cpp refuses such a vocabulary. Here the last id of each text is used.");
    }
    return true;
}

int32_t tokenizer_builder::intern(std::string_view s) {
    if (int32_t id = t.find(s); id != TOKEN_NULL) return id;
    auto it = t.extra_symbol_id_.find(s);
    if (it != t.extra_symbol_id_.end()) return it->second;
    const int32_t id = (int32_t) (t.tokens_.size() + t.extra_symbols_.size());
    t.extra_symbols_.emplace_back(s);
    t.extra_symbol_id_.emplace(std::string_view(t.extra_symbols_.back()), id);
    return id;
}

void tokenizer_builder::load_merges(const gguf_value & merges) {
    // Each merge is "left right", split at the first space after the first
    // byte. The rank is the index; a pair listed twice keeps its first rank.
    t.merges_.reserve(merges.count);
    std::string joined;
    size_t n_bad = 0;
    for (uint64_t i = 0; i < merges.count && i < (uint64_t) INT32_MAX; ++i) {
        std::string_view m = merges.array_string(i);
        const size_t sp = m.size() > 1 ? m.find(' ', 1) : std::string_view::npos;
        if (sp == std::string_view::npos) {
            ++n_bad;   // llama.cpp keeps it as the pair ("", ""), which never matches
            continue;
        }
        const std::string_view left = m.substr(0, sp), right = m.substr(sp + 1);
        if (right.empty()) {
            ++n_bad;
            continue;
        }
        const int32_t l = intern(left), r = intern(right);
        joined.assign(left);
        joined.append(right);
        const int32_t res = intern(joined);
        t.merges_.emplace(((uint64_t) (uint32_t) l << 32) | (uint32_t) r, tokenizer::merge_info{ (int32_t) i, res });
    }
    if (n_bad > 0) {
        add(severity::info, "tokenizer_bad_merge", std::to_string(n_bad) + " merges are not of the form 'left right' and can never apply");
    }
}

void tokenizer_builder::load_special_ids() {
    const int64_t n = (int64_t) t.tokens_.size();
    struct slot { const char * key; int32_t * id; };
    const slot slots[] = {
        { "tokenizer.ggml.bos_token_id", &t.bos_ },
        { "tokenizer.ggml.eos_token_id", &t.eos_ },
        { "tokenizer.ggml.unknown_token_id", &t.unk_ },
    };
    for (const auto & s : slots) {
        if (*s.id >= n) *s.id = TOKEN_NULL;   // a default outside the vocabulary
        const gguf_kv * kv = model.find_kv(s.key);
        if (!kv) continue;
        auto v = kv->value.is_array() ? std::nullopt : kv->value.as_int();
        // 0xFFFFFFFF (-1 written as UINT32) is the converters' "none": keep the default silently.
        if (v && (*v == -1 || *v == 0xFFFFFFFFll)) continue;
        if (!v || *v < 0 || *v >= n) {
            add(severity::warning, "tokenizer_bad_special_id",
                std::string(s.key) + " is not a token id of this vocabulary (" + std::to_string(n) +
                " tokens); the default is kept");
            continue;
        }
        *s.id = (int32_t) *v;
    }
}

// llama.cpp adjusts token attributes by token text after loading; the ones
// that change which tokens are cut out of the text are reproduced here, in
// llama.cpp's order.
void tokenizer_builder::fix_up_attributes() {
    const int64_t n = (int64_t) t.tokens_.size();
    auto & toks = t.tokens_;
    const auto meta_id = [&](const char * key) -> int32_t {
        auto v = get_int(key);
        return (v && *v >= 0 && *v < n) ? (int32_t) *v : TOKEN_NULL;
    };
    int32_t eot = meta_id("tokenizer.ggml.eot_token_id");
    int32_t eom = meta_id("tokenizer.ggml.eom_token_id");
    int32_t fim_pre = meta_id("tokenizer.ggml.fim_pre_token_id");
    int32_t fim_suf = meta_id("tokenizer.ggml.fim_suf_token_id");
    int32_t fim_mid = meta_id("tokenizer.ggml.fim_mid_token_id");
    int32_t fim_pad = meta_id("tokenizer.ggml.fim_pad_token_id");
    int32_t fim_rep = meta_id("tokenizer.ggml.fim_rep_token_id");
    int32_t fim_sep = meta_id("tokenizer.ggml.fim_sep_token_id");
    if (fim_pre == TOKEN_NULL) fim_pre = meta_id("tokenizer.ggml.prefix_token_id");
    if (fim_suf == TOKEN_NULL) fim_suf = meta_id("tokenizer.ggml.suffix_token_id");
    if (fim_mid == TOKEN_NULL) fim_mid = meta_id("tokenizer.ggml.middle_token_id");

    // A slot not given by the metadata takes the first token whose text is in
    // its list, which becomes CONTROL. (llama.cpp walks a hash map here, so
    // with two candidates its choice is arbitrary; this takes the lowest id.)
    for (int32_t id = 0; id < (int32_t) n; ++id) {
        const std::string_view s = toks[id].text;
        const auto detect = [&](int32_t & slot, const auto & list) {
            if (slot == TOKEN_NULL && in_list(s, list)) {
                slot = id;
                toks[id].attr |= TOKEN_ATTR_CONTROL;
            }
        };
        detect(eot, k_eot_texts);
        detect(eom, k_eom_texts);
        detect(fim_pre, k_fim_pre_texts);
        detect(fim_suf, k_fim_suf_texts);
        detect(fim_mid, k_fim_mid_texts);
        detect(fim_pad, k_fim_pad_texts);
        detect(fim_rep, k_fim_rep_texts);
        detect(fim_sep, k_fim_sep_texts);
    }

    // End-of-generation tokens are CONTROL.
    std::vector<int32_t> eog;
    for (int32_t id : { fim_pad, fim_rep, fim_sep }) {
        if (id != TOKEN_NULL) eog.push_back(id);
    }
    for (int32_t id = 0; id < (int32_t) n; ++id) {
        if (in_list(toks[id].text, k_eog_texts)) {
            eog.push_back(id);
            toks[id].attr |= TOKEN_ATTR_CONTROL;
        }
    }
    for (int32_t id = 0; id < (int32_t) n; ++id) {
        if (in_list(toks[id].text, k_user_defined_texts)) toks[id].attr = TOKEN_ATTR_USER_DEFINED;
    }
    for (int32_t id : { t.eos_, eot, eom }) {
        if (id != TOKEN_NULL) eog.push_back(id);
    }
    const auto eog_has = [&](std::string_view text, int32_t * which) {
        for (int32_t id : eog) {
            if (toks[id].text == text) {
                if (which) *which = id;
                return true;
            }
        }
        return false;
    };
    // gpt-oss / solar-open: <|end|> is not end-of-generation there, and becomes USER_DEFINED.
    int32_t end_id = TOKEN_NULL;
    const bool has_end = eog_has("<|end|>", &end_id);
    const bool has_call = eog_has("<|call|>", nullptr) || eog_has("<|calls|>", nullptr);
    if (has_end && has_call && (eog_has("<|return|>", nullptr) || eog_has("<|flush|>", nullptr))) {
        toks[end_id].attr = TOKEN_ATTR_USER_DEFINED;
    }
    // Gemma 4 / PaddleOCR: with <|tool_response>, </s> is a NORMAL token.
    int32_t s_id = TOKEN_NULL;
    if (eog_has("<|tool_response>", nullptr) && eog_has("</s>", &s_id)) {
        toks[s_id].attr = TOKEN_ATTR_NORMAL;
    }

    // The special tokens, longest first.
    for (int32_t id = 0; id < (int32_t) n; ++id) {
        if (toks[id].attr & (TOKEN_ATTR_CONTROL | TOKEN_ATTR_USER_DEFINED | TOKEN_ATTR_UNKNOWN)) {
            t.special_order_.push_back(id);
        }
    }
    std::stable_sort(t.special_order_.begin(), t.special_order_.end(),
                     [&](int32_t a, int32_t b) { return toks[a].text.size() > toks[b].text.size(); });

    // Attributes set by model name (only Phi-3 among the supported kinds):
    // white space after special tokens is dropped, except after these three.
    std::string name = get_string("general.name").value_or("");
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return (char) std::tolower(c); });
    if (name.find("phi-3") != std::string::npos || name.find("phi3") != std::string::npos) {
        for (int32_t id : t.special_order_) toks[id].attr |= TOKEN_ATTR_RSTRIP;
        if (int32_t id = t.find("</s>"); id != TOKEN_NULL) toks[id].attr |= TOKEN_ATTR_RSTRIP;
        for (const char * s : { "<unk>", "<s>", "<|endoftext|>" }) {
            if (int32_t id = t.find(s); id != TOKEN_NULL) toks[id].attr &= ~TOKEN_ATTR_RSTRIP;
        }
    }
}

void tokenizer_builder::build_special_trie() {
    t.trie_terminal_.assign(1, -1);
    std::fill(std::begin(t.trie_root_), std::end(t.trie_root_), -1);
    for (size_t k = 0; k < t.special_order_.size(); ++k) {
        const std::string_view s = t.tokens_[t.special_order_[k]].text;
        int32_t node = 0;
        for (unsigned char c : s) {
            const uint64_t key = ((uint64_t) node << 8) | c;
            auto it = t.trie_next_.find(key);
            if (it == t.trie_next_.end()) {
                const int32_t next = (int32_t) t.trie_terminal_.size();
                t.trie_terminal_.push_back(-1);
                it = t.trie_next_.emplace(key, next).first;
            }
            node = it->second;
        }
        // Two tokens with the same text: the first in priority order wins,
        // the other can never match (as in llama.cpp, where the first one
        // has already cut every occurrence out).
        if (t.trie_terminal_[node] < 0) t.trie_terminal_[node] = (int32_t) k;
    }
    for (int c = 0; c < 256; ++c) {
        auto it = t.trie_next_.find((uint64_t) c);
        if (it != t.trie_next_.end()) t.trie_root_[c] = it->second;
    }
}

} // namespace gc
