// SHA-256 (FIPS 180-4), streamed: for the hashes a report shows so a user
// can compare a download with the publisher's checksum.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "io/byte-source.h"

namespace gc {

class sha256 {
public:
    sha256();
    void update(const void * data, size_t len);
    std::string hex_digest();   // finalizes; call once

private:
    void block(const uint8_t * p);
    uint32_t h_[8];
    uint8_t buf_[64];
    size_t buf_len_ = 0;
    uint64_t total_ = 0;
};

// Hex SHA-256 of a whole source, read in 4 MiB pieces. progress(done, total)
// may return false to cancel (then the result is empty).
std::string sha256_of_source(byte_source & src, const std::function<bool(uint64_t, uint64_t)> & progress = {});

} // namespace gc
