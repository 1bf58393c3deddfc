// Test helper: a GGUF opened for the forward (file set, parsed model, recipe,
// weights) and the fixture token stream of the first 20 chunks of 256.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "forward/ppl.h"
#include "model/model.h"

namespace gc_test {

struct loaded_model {
    gc::file_set files;
    gc::gguf_model gguf;
    gc::model_desc desc;
    std::unique_ptr<gc::weight_source> weights;
    gc::ppl_model pm() { return { &desc, weights.get() }; }
};

inline std::unique_ptr<loaded_model> load_model_from(std::unique_ptr<gc::byte_source> src) {
    auto m = std::make_unique<loaded_model>();
    const std::string name = src->name();
    m->files.push_back(std::move(src));
    m->gguf = gc::gguf_load(m->files);
    std::string err;
    EXPECT_TRUE(gc::model_desc_from_gguf(m->gguf, m->desc, &err)) << name << ": " << err;
    m->weights = gc::weight_source_gguf(m->gguf, m->files);
    return m;
}

inline std::unique_ptr<loaded_model> load_model(const std::string & path) {
    std::string err;
    auto src = gc::byte_source_open_file(path, &err);
    EXPECT_TRUE(src) << err;
    return src ? load_model_from(std::move(src)) : nullptr;
}

inline std::unique_ptr<loaded_model> load_model(std::vector<uint8_t> bytes, const std::string & name) {
    return load_model_from(gc::byte_source_from_memory(std::move(bytes), name));
}

// llama.cpp's token ids of wiki.test.raw (stories260K vocab, shared by
// g4tiny): 20 chunks of 256, int32 little-endian.
inline const std::string & fixture_tokens_path() {
    static const std::string p = std::string(GC_FIXTURES) + "/g4tiny/wiki.test.raw.first5120.tokens.i32";
    return p;
}

inline std::vector<int32_t> fixture_tokens() {
    std::string err;
    auto src = gc::byte_source_open_file(fixture_tokens_path(), &err);
    std::vector<int32_t> t;
    EXPECT_TRUE(src && gc::ppl_read_token_file(*src, t, &err)) << err;
    return t;
}

} // namespace gc_test
