// The tile stream's contract (compute/tile-stream.h): tiles produced in
// order on the calling thread only, each consumed exactly once, a failing
// produce stops the stream at the lowest failing index, consumers that wait
// for an earlier tile never deadlock, for every thread count.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "compute/thread-pool.h"
#include "compute/tile-stream.h"

using namespace gc;

namespace {

struct stream_log {
    std::vector<int64_t> produced;             // in call order
    std::vector<std::atomic<int>> consumed;
    std::atomic<bool> produced_off_caller{ false };
    std::atomic<bool> wrong_content{ false };
    explicit stream_log(int64_t n) : consumed((size_t) n) {}
};

// Tile i holds the value i in every float; produce fails at fail_at.
bool run_stream(thread_pool * pool, int64_t n, int64_t fail_at, stream_log & log, tile_slots & slots,
                std::string * error) {
    const std::thread::id caller = std::this_thread::get_id();
    return stream_tiles(
        pool, n, 64, slots,
        [&](int64_t i, float * buf, std::string * e) {
            if (std::this_thread::get_id() != caller) log.produced_off_caller = true;
            log.produced.push_back(i);
            if (i == fail_at) {
                *e = "tile " + std::to_string(i) + " is unreadable";
                return false;
            }
            for (int k = 0; k < 64; ++k) buf[k] = (float) i;
            return true;
        },
        [&](int64_t i, const float * buf, int) {
            for (int k = 0; k < 64; ++k) {
                if (buf[k] != (float) i) log.wrong_content = true;
            }
            log.consumed[(size_t) i]++;
        },
        error);
}

} // namespace

TEST(tile_stream, every_tile_once_in_order_on_the_caller) {
    for (int threads : { 1, 2, 3, 8 }) {
        thread_pool pool(threads);
        tile_slots slots;   // reused across streams, as the forward does
        for (int64_t n : { 0, 1, 2, 5, 100 }) {
            SCOPED_TRACE("threads " + std::to_string(threads) + ", tiles " + std::to_string(n));
            stream_log log(n);
            std::string err;
            EXPECT_TRUE(run_stream(&pool, n, -1, log, slots, &err)) << err;
            EXPECT_FALSE(log.produced_off_caller);
            EXPECT_FALSE(log.wrong_content);
            ASSERT_EQ((int64_t) log.produced.size(), n);
            for (int64_t i = 0; i < n; ++i) {
                EXPECT_EQ(log.produced[(size_t) i], i);
                EXPECT_EQ(log.consumed[(size_t) i].load(), 1) << "tile " << i;
            }
            EXPECT_LE(slots.size(), (size_t) std::max(1, 2 * pool.size()));
        }
    }
}

TEST(tile_stream, without_a_pool) {
    stream_log log(7);
    tile_slots slots;
    std::string err;
    EXPECT_TRUE(run_stream(nullptr, 7, -1, log, slots, &err));
    for (auto & c : log.consumed) EXPECT_EQ(c.load(), 1);
    EXPECT_EQ(slots.size(), 1u);
}

TEST(tile_stream, a_failing_tile_stops_the_stream_with_its_error) {
    for (int threads : { 1, 2, 3 }) {
        SCOPED_TRACE("threads " + std::to_string(threads));
        thread_pool pool(threads);
        stream_log log(50);
        tile_slots slots;
        std::string err;
        EXPECT_FALSE(run_stream(&pool, 50, 17, log, slots, &err));
        EXPECT_EQ(err, "tile 17 is unreadable");
        ASSERT_EQ(log.produced.size(), 18u);   // 0..17, nothing after the failure
        for (int64_t i = 0; i < 50; ++i) EXPECT_EQ(log.consumed[(size_t) i].load(), i < 17 ? 1 : 0) << "tile " << i;
    }
}

// Consumers that wait for the previous tile of their group (the head's
// in-order accumulation) finish for every thread count; the sums are those of
// a sequential run.
TEST(tile_stream, consumers_waiting_for_earlier_tiles_do_not_deadlock) {
    constexpr int64_t n = 200, groups = 3;
    for (int threads : { 1, 2, 4, 8 }) {
        SCOPED_TRACE("threads " + std::to_string(threads));
        thread_pool pool(threads);
        tile_slots slots;
        std::mutex mu;
        std::condition_variable cv;
        std::vector<int64_t> next = { 0, 1, 2 };
        std::vector<std::vector<int64_t>> seen(groups);
        std::string err;
        const bool ok = stream_tiles(
            &pool, n, 8, slots, [](int64_t i, float * buf, std::string *) { buf[0] = (float) i; return true; },
            [&](int64_t i, const float * buf, int) {
                const int64_t g = i % groups;
                std::this_thread::sleep_for(std::chrono::microseconds((i * 7919) % 200));   // shuffle timing
                std::unique_lock<std::mutex> lk(mu);
                cv.wait(lk, [&] { return next[(size_t) g] == i; });
                seen[(size_t) g].push_back((int64_t) buf[0]);
                next[(size_t) g] += groups;
                cv.notify_all();
            },
            &err);
        EXPECT_TRUE(ok) << err;
        for (int64_t g = 0; g < groups; ++g) {
            ASSERT_EQ((int64_t) seen[(size_t) g].size(), (n - g + groups - 1) / groups);
            for (size_t k = 0; k < seen[(size_t) g].size(); ++k) EXPECT_EQ(seen[(size_t) g][k], g + (int64_t) k * groups);
        }
    }
}
