// A fixed pool of threads that runs parallel_for over independent indices.
//
// Determinism contract (what every caller relies on): parallel_for(n, fn)
// calls fn(i, worker) exactly once for every i in [0, n); which worker runs
// which index, and in which order, is unspecified. Callers therefore make
// each index write only its own outputs and use `worker` only to pick
// per-worker scratch; any reduction over indices is done afterwards by the
// caller in index order. Results are then bit-identical for every thread
// count, including the single-thread implementation.
//
// Implementations: size() == 1 runs everything inline on the calling thread
// (no thread is ever created; this is also the only mode of a wasm build
// without pthreads). Otherwise size() - 1 worker threads plus the calling
// thread pull indices from a shared atomic counter (dynamic scheduling, so a
// slow tile does not stall the rest).
//
// fn must not throw. A parallel_for called from inside fn runs inline on the
// calling worker (no nested parallelism, no deadlock).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

namespace gc {

// std::thread::hardware_concurrency(), at least 1; 1 when the build has no
// threads (wasm without -pthread).
int thread_count_default();

// True when this build can create threads.
bool threads_available();

class thread_pool {
public:
    // n_threads <= 0: thread_count_default(). Clamped to [1, 256]; 1 when the
    // build has no threads.
    explicit thread_pool(int n_threads = 0);
    ~thread_pool();
    thread_pool(const thread_pool &) = delete;
    thread_pool & operator=(const thread_pool &) = delete;

    int size() const { return size_; }

    // Runs fn(i, worker) for i in [0, n), worker in [0, size()); returns when
    // all calls have returned.
    void parallel_for(int64_t n, const std::function<void(int64_t i, int worker)> & fn);

private:
    struct state;
    int size_ = 1;
    std::unique_ptr<state> st_;
};

// parallel_for on pool, or inline (worker 0) when pool is nullptr.
void parallel_for(thread_pool * pool, int64_t n, const std::function<void(int64_t i, int worker)> & fn);

} // namespace gc
