// In-memory byte source.
#include "io/byte-source.h"

#include <cstring>

namespace gc {

namespace {

class memory_source final : public byte_source {
public:
    memory_source(std::vector<uint8_t> bytes, std::string name) : bytes_(std::move(bytes)), name_(std::move(name)) {}

    uint64_t size() const override { return bytes_.size(); }
    const std::string & name() const override { return name_; }
    uint64_t bytes_fetched() const override { return fetched_; }

    bool read(uint64_t offset, void * dst, size_t len) override {
        if (!byte_range_ok(bytes_.size(), offset, len)) {
            return false;
        }
        if (len > 0) {
            std::memcpy(dst, bytes_.data() + offset, len);
        }
        fetched_ += len;
        return true;
    }

private:
    std::vector<uint8_t> bytes_;
    std::string name_;
    uint64_t fetched_ = 0;
};

} // namespace

std::unique_ptr<byte_source> byte_source_from_memory(std::vector<uint8_t> bytes, std::string name) {
    return std::make_unique<memory_source>(std::move(bytes), std::move(name));
}

} // namespace gc
