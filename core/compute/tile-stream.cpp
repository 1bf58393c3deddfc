#include "compute/tile-stream.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "compute/thread-pool.h"

namespace gc {

namespace {

// Shared state of one stream. Every field is guarded by mu.
struct stream_state {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<int> free_slots;
    std::deque<std::pair<int64_t, int>> ready;   // (tile, slot), in tile order
    int64_t next = 0;                            // next tile to produce
    int64_t end = 0;                             // tiles that will be produced (n, or the failing index)
    bool failed = false;
    std::string error;

    bool production_over() const { return next >= end; }
    bool finished() const { return production_over() && ready.empty(); }
};

} // namespace

bool stream_tiles(thread_pool * pool, int64_t n_tiles, size_t slot_floats, tile_slots & slots,
                  const std::function<bool(int64_t, float *, std::string *)> & produce,
                  const std::function<void(int64_t, const float *, int)> & consume, std::string * error) {
    if (n_tiles <= 0) return true;
    const int n_threads = pool ? pool->size() : 1;
    const size_t n_slots = (size_t) std::min<int64_t>(n_threads == 1 ? 1 : 2 * n_threads, n_tiles);
    if (slots.size() < n_slots) slots.resize(n_slots);
    for (size_t s = 0; s < n_slots; ++s) {
        if (slots[s].size() < slot_floats) slots[s].resize(slot_floats);
    }

    stream_state st;
    st.end = n_tiles;
    for (int s = (int) n_slots - 1; s >= 0; --s) st.free_slots.push_back(s);
    const std::thread::id producer = std::this_thread::get_id();

    // Takes the oldest ready tile (lock held on entry and exit), consumes it
    // unlocked and frees its slot.
    auto consume_one = [&](std::unique_lock<std::mutex> & lk, int worker) {
        const auto [i, s] = st.ready.front();
        st.ready.pop_front();
        lk.unlock();
        consume(i, slots[(size_t) s].data(), worker);
        lk.lock();
        st.free_slots.push_back(s);
        st.cv.notify_all();
    };

    // Every participating thread runs this loop once; the caller (the only
    // producer) prefers producing while a slot is free, the others consume.
    parallel_for(pool, n_threads, [&](int64_t, int worker) {
        const bool is_producer = std::this_thread::get_id() == producer;
        std::unique_lock<std::mutex> lk(st.mu);
        for (;;) {
            if (is_producer && !st.production_over() && !st.free_slots.empty()) {
                const int s = st.free_slots.back();
                st.free_slots.pop_back();
                const int64_t i = st.next++;
                lk.unlock();
                std::string e;
                const bool ok = produce(i, slots[(size_t) s].data(), &e);
                lk.lock();
                if (ok) {
                    st.ready.emplace_back(i, s);
                } else {
                    st.free_slots.push_back(s);
                    st.failed = true;
                    st.error = std::move(e);
                    st.end = i;
                }
                st.cv.notify_all();
            } else if (!st.ready.empty()) {
                consume_one(lk, worker);
            } else if (st.finished()) {
                return;
            } else {
                st.cv.wait(lk);
            }
        }
    });
    if (st.failed && error) *error = st.error;
    return !st.failed;
}

} // namespace gc
