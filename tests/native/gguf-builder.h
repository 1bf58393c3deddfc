// A small GGUF writer for tests: builds valid files and, by construction,
// the broken ones the reader must survive. Independent of core/'s reader.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace gc_test {

class gguf_builder {
public:
    std::vector<uint8_t> bytes;

    void u8(uint8_t v) { bytes.push_back(v); }
    void u32(uint32_t v) { raw(&v, 4); }
    void u64(uint64_t v) { raw(&v, 8); }
    void f32(float v) { raw(&v, 4); }
    void str(const std::string & s) { u64(s.size()); raw(s.data(), s.size()); }
    void raw(const void * p, size_t n) { bytes.insert(bytes.end(), (const uint8_t *) p, (const uint8_t *) p + n); }

    void header(uint64_t n_tensors, uint64_t n_kv, uint32_t version = 3) {
        raw("GGUF", 4);
        u32(version);
        u64(n_tensors);
        u64(n_kv);
    }
    void kv_u32(const std::string & key, uint32_t v) { str(key); u32(4); u32(v); }
    void kv_i32(const std::string & key, int32_t v) { str(key); u32(5); u32((uint32_t) v); }
    void kv_u16(const std::string & key, uint16_t v) { str(key); u32(2); raw(&v, 2); }
    void kv_str(const std::string & key, const std::string & v) { str(key); u32(8); str(v); }
    void kv_f32(const std::string & key, float v) { str(key); u32(6); f32(v); }
    void tensor(const std::string & name, std::vector<uint64_t> ne, uint32_t type, uint64_t offset) {
        str(name);
        u32((uint32_t) ne.size());
        for (uint64_t n : ne) u64(n);
        u32(type);
        u64(offset);
    }
    void pad(size_t alignment = 32) {
        while (bytes.size() % alignment) bytes.push_back(0);
    }
    void zeros(size_t n) { bytes.insert(bytes.end(), n, 0); }
};

// A minimal valid llama-like file: n F32 tensors "blk.i.w" of 8 x 2 floats.
inline std::vector<uint8_t> small_model(int n_tensors = 2, uint32_t type = 0, uint64_t ne0 = 8) {
    gguf_builder b;
    b.header((uint64_t) n_tensors, 2);
    b.kv_str("general.architecture", "llama");
    b.kv_u32("llama.block_count", (uint32_t) n_tensors);
    const uint64_t nbytes = ne0 * 2 * 4;
    for (int i = 0; i < n_tensors; ++i) b.tensor("blk." + std::to_string(i) + ".w", { ne0, 2 }, type, (uint64_t) i * nbytes);
    b.pad();
    b.zeros((size_t) (nbytes * n_tensors));
    return b.bytes;
}

} // namespace gc_test
