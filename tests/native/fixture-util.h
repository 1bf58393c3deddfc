// Test helpers: read a fixture, find and edit a tensor's bytes in a GGUF held
// in memory (to make damaged copies of healthy files).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "format/gguf.h"

namespace gc_test {

// A path in the test temp directory that no other test process uses (two
// checkouts, or a test and its sanitizer build, may run at the same time).
inline std::string temp_path(const std::string & name) {
    return ::testing::TempDir() + "/" + std::to_string((long) ::getpid()) + "-" + name;
}

inline std::vector<uint8_t> read_all(const std::filesystem::path & p) {
    std::ifstream in(p, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// (absolute data offset, byte size) of a tensor of a GGUF in memory.
inline std::pair<uint64_t, uint64_t> tensor_range(const std::vector<uint8_t> & bytes, const std::string & name) {
    gc::file_set set;
    set.push_back(gc::byte_source_from_memory(bytes, "x.gguf"));
    const gc::gguf_model m = gc::gguf_load(set);
    const gc::gguf_tensor * t = m.find_tensor(name);
    EXPECT_NE(t, nullptr) << name;
    return t ? std::make_pair(t->data_offset, *t->nbytes) : std::make_pair<uint64_t, uint64_t>(0, 0);
}

// The data of an F32 tensor, editable in place.
inline float * f32_at(std::vector<uint8_t> & bytes, const std::string & name) {
    return reinterpret_cast<float *>(bytes.data() + tensor_range(bytes, name).first);
}

} // namespace gc_test
