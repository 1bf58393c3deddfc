// A byte source that counts the reads made off the thread that created it:
// the threads contract (compute/tile-stream.h) says only the calling thread
// reads, because in the browser a read is a JS call.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "io/byte-source.h"

namespace gc_test {

class caller_only_source final : public gc::byte_source {
public:
    caller_only_source(std::unique_ptr<gc::byte_source> inner, std::atomic<int64_t> & off_thread_reads)
        : inner_(std::move(inner)), off_(off_thread_reads), owner_(std::this_thread::get_id()) {}
    uint64_t size() const override { return inner_->size(); }
    const std::string & name() const override { return inner_->name(); }
    uint64_t bytes_fetched() const override { return inner_->bytes_fetched(); }
    bool read(uint64_t offset, void * dst, size_t len) override {
        if (std::this_thread::get_id() != owner_) off_++;
        return inner_->read(offset, dst, len);
    }

private:
    std::unique_ptr<gc::byte_source> inner_;
    std::atomic<int64_t> & off_;
    std::thread::id owner_;
};

} // namespace gc_test
