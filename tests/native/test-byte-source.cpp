// Byte sources: the read-ahead window returns exactly the inner bytes for any
// pattern of reads, refuses out-of-range reads, and a sequential scan of
// small and large reads fetches every byte once; will_read hints reach the
// inner source, and will_read_rows announces exactly a row range's bytes.
#include <gtest/gtest.h>

#include <random>

#include "io/byte-source.h"
#include "quant/dequant-rows.h"

namespace {

std::vector<uint8_t> pattern(size_t n) {
    std::vector<uint8_t> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = (uint8_t) (i * 2654435761u >> 13);
    return v;
}

// Records will_read hints over 1000 bytes of pattern().
struct hinted final : gc::byte_source {
    std::unique_ptr<gc::byte_source> inner = gc::byte_source_from_memory(pattern(1000), "m");
    std::vector<std::pair<uint64_t, uint64_t>> hints;
    uint64_t size() const override { return inner->size(); }
    const std::string & name() const override { return inner->name(); }
    bool read(uint64_t offset, void * dst, size_t len) override { return inner->read(offset, dst, len); }
    uint64_t bytes_fetched() const override { return inner->bytes_fetched(); }
    void will_read(uint64_t offset, uint64_t len) override { hints.emplace_back(offset, len); }
};

} // namespace

TEST(ReadAhead, RandomReadsMatchTheInnerBytes) {
    const auto data = pattern(300000);
    auto src = gc::byte_source_read_ahead(gc::byte_source_from_memory(data, "m"), 4096);
    std::mt19937_64 rng(1);
    std::vector<uint8_t> buf;
    for (int i = 0; i < 20000; ++i) {
        const uint64_t off = rng() % data.size();
        const size_t len = (size_t) (rng() % 3 == 0 ? rng() % 9000 : rng() % 64);
        buf.assign(len, 0);
        const bool ok = src->read(off, buf.data(), len);
        ASSERT_EQ(ok, off + len <= data.size()) << off << " " << len;
        if (ok) {
            ASSERT_TRUE(std::equal(buf.begin(), buf.end(), data.begin() + (long) off)) << off << " " << len;
        }
    }
    uint8_t b;
    EXPECT_FALSE(src->read(data.size(), &b, 1));
    EXPECT_FALSE(src->read(UINT64_MAX, &b, 1));
    EXPECT_TRUE(src->read(data.size(), &b, 0));
}

TEST(ReadAhead, SequentialScanFetchesEachByteOnce) {
    const auto data = pattern(1 << 20);
    auto src = gc::byte_source_read_ahead(gc::byte_source_from_memory(data, "m"), 4096);
    std::mt19937_64 rng(2);
    std::vector<uint8_t> buf;
    uint64_t off = 0;
    while (off < data.size()) {
        size_t len = (size_t) (rng() % 4 == 0 ? 2048 + rng() % 10000 : 1 + rng() % 40);
        len = (size_t) std::min<uint64_t>(len, data.size() - off);
        buf.resize(len);
        ASSERT_TRUE(src->read(off, buf.data(), len));
        ASSERT_TRUE(std::equal(buf.begin(), buf.end(), data.begin() + (long) off));
        off += len;
    }
    EXPECT_EQ(src->bytes_fetched(), data.size());
}

TEST(ReadAhead, PassesWillReadHintsToTheInnerSource) {
    auto inner = std::make_unique<hinted>();
    hinted * h = inner.get();
    auto src = gc::byte_source_read_ahead(std::move(inner), 64);
    src->will_read(100, 800);
    src->will_read(0, 1000);
    EXPECT_EQ(h->hints, (std::vector<std::pair<uint64_t, uint64_t>>{ { 100, 800 }, { 0, 1000 } }));
    // A source that does not take hints ignores them.
    auto plain = gc::byte_source_from_memory(pattern(10), "p");
    plain->will_read(0, 10);
    uint8_t b[10];
    EXPECT_TRUE(plain->read(0, b, 10));
}

TEST(WillReadRows, AnnouncesTheRowsBytesOrNothing) {
    hinted src;   // 1000 bytes
    gc::tensor_layout t;
    std::string err;
    ASSERT_TRUE(gc::tensor_layout_make(0 /* F32 */, 10, 20, 100, &t, &err)) << err;   // rows of 40 bytes at 100
    gc::will_read_rows(src, t, 0, 20);
    gc::will_read_rows(src, t, 5, 7);
    gc::will_read_rows(src, t, 7, 7);      // empty
    gc::will_read_rows(src, t, 3, 21);     // past the tensor
    ASSERT_TRUE(gc::tensor_layout_make(0, 10, 30, 100, &t, &err)) << err;
    gc::will_read_rows(src, t, 0, 30);     // past the source
    EXPECT_EQ(src.hints, (std::vector<std::pair<uint64_t, uint64_t>>{ { 100, 800 }, { 300, 80 } }));
}
