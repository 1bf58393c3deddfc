// tokenize_report / tokenizer_info (tokenize-report.h).
#include "tokenizer/tokenize-report.h"

#include <string>

namespace gc {

nlohmann::json tokenize_report(const tokenizer * tok, const std::vector<int32_t> & ids) {
    nlohmann::json j;
    j["ids"] = ids;
    if (tok) {
        nlohmann::json pieces = nlohmann::json::array();
        for (int32_t id : ids) {
            pieces.push_back(id >= 0 && (size_t) id < tok->n_tokens() ? std::string(tok->token(id).text) : std::string());
        }
        j["pieces"] = std::move(pieces);
    }
    return j;
}

nlohmann::json tokenizer_info(const tokenizer & tok) {
    const auto id_or_null = [](int32_t id) { return id < 0 ? nlohmann::json(nullptr) : nlohmann::json(id); };
    return {
        { "model", tok.model_name() },
        { "pre", tok.kind() == tokenizer_kind::bpe ? nlohmann::json(tok.pre_name()) : nlohmann::json(nullptr) },
        { "n_tokens", tok.n_tokens() },
        { "bos", id_or_null(tok.bos()) },
        { "eos", id_or_null(tok.eos()) },
        { "unk", id_or_null(tok.unk()) },
        { "add_bos", tok.add_bos() },
        { "add_eos", tok.add_eos() },
        { "add_space_prefix", tok.kind() == tokenizer_kind::spm ? nlohmann::json(tok.add_space_prefix()) : nlohmann::json(nullptr) },
    };
}

} // namespace gc
