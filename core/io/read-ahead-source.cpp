// Read-ahead wrapper: serves small reads from a window of the inner source.
//
// Two access patterns meet here. Metadata parsing is millions of tiny reads
// in file order: they want a big window. Tensor data is read in tiles of
// ~1 MiB, jumping between tensors (a norm, then a matrix): a big window would
// fetch bytes that are never used. So
//   - a read of at least LARGE_READ bytes that misses goes to the inner
//     source directly (taking from the window what it already holds);
//   - a small read that continues where the window ends (file order) refills
//     the whole window; a small read elsewhere (a jump) fetches JUMP_FETCH.
#include "io/byte-source.h"

#include <algorithm>
#include <cstring>

namespace gc {

namespace {

constexpr size_t LARGE_READ = 64u << 10;
constexpr size_t JUMP_FETCH = 64u << 10;

class read_ahead_source final : public byte_source {
public:
    read_ahead_source(std::unique_ptr<byte_source> inner, size_t window) : inner_(std::move(inner)), window_(window) {}

    uint64_t size() const override { return inner_->size(); }
    const std::string & name() const override { return inner_->name(); }
    uint64_t bytes_fetched() const override { return inner_->bytes_fetched(); }
    void will_read(uint64_t offset, uint64_t len) override { inner_->will_read(offset, len); }

    bool read(uint64_t offset, void * dst, size_t len) override {
        const uint64_t size = inner_->size();
        if (!byte_range_ok(size, offset, len)) {
            return false;
        }
        const uint64_t buf_end = buf_offset_ + buf_.size();
        const bool hit = offset >= buf_offset_ && offset + len <= buf_end;
        if (!hit && len >= std::min(LARGE_READ, window_ / 2)) {
            auto * out = static_cast<uint8_t *>(dst);
            if (offset >= buf_offset_ && offset < buf_end) {
                const size_t have = (size_t) (buf_end - offset);
                std::memcpy(out, buf_.data() + (offset - buf_offset_), have);
                return inner_->read(buf_end, out + have, len - have);
            }
            return inner_->read(offset, dst, len);
        }
        if (!hit) {
            const bool in_order = offset >= buf_offset_ && offset <= buf_end;
            const uint64_t want = in_order ? window_ : std::max(len, std::min(window_, JUMP_FETCH));
            const uint64_t n = std::min<uint64_t>(want, size - offset);
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
