// Read-ahead wrapper: serves small reads from a window of the inner source.
#include "io/byte-source.h"

#include <algorithm>
#include <cstring>

namespace gc {

namespace {

class read_ahead_source final : public byte_source {
public:
    read_ahead_source(std::unique_ptr<byte_source> inner, size_t window) : inner_(std::move(inner)), window_(window) {}

    uint64_t size() const override { return inner_->size(); }
    const std::string & name() const override { return inner_->name(); }
    uint64_t bytes_fetched() const override { return inner_->bytes_fetched(); }

    bool read(uint64_t offset, void * dst, size_t len) override {
        const uint64_t size = inner_->size();
        if (!byte_range_ok(size, offset, len)) {
            return false;
        }
        // Large reads bypass the window: they gain nothing from it.
        if (len >= window_) {
            return inner_->read(offset, dst, len);
        }
        if (offset < buf_offset_ || offset + len > buf_offset_ + buf_.size()) {
            const uint64_t n = std::min<uint64_t>(window_, size - offset);
            buf_.resize((size_t) n);
            if (!inner_->read(offset, buf_.data(), buf_.size())) {
                buf_.clear();
                return false;
            }
            buf_offset_ = offset;
        }
        if (len > 0) {
            std::memcpy(dst, buf_.data() + (offset - buf_offset_), len);
        }
        return true;
    }

private:
    std::unique_ptr<byte_source> inner_;
    size_t window_;
    std::vector<uint8_t> buf_;
    uint64_t buf_offset_ = 0;
};

} // namespace

std::unique_ptr<byte_source> byte_source_read_ahead(std::unique_ptr<byte_source> inner, size_t window) {
    return std::make_unique<read_ahead_source>(std::move(inner), std::max<size_t>(window, 1));
}

} // namespace gc
