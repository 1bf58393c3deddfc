#include "compute/thread-pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace gc {

namespace {

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
constexpr bool k_threads = false;
#else
constexpr bool k_threads = true;
#endif

// Worker index of the current thread while it runs a parallel_for body;
// -1 outside. A nested parallel_for runs inline with this index.
thread_local int tl_worker = -1;

} // namespace

bool threads_available() { return k_threads; }

int thread_count_default() {
    if (!k_threads) return 1;
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : (int) std::min(n, 256u);
}

struct thread_pool::state {
    std::mutex mu;
    std::condition_variable start, done;
    std::vector<std::thread> threads;
    // The job in flight (valid while busy > 0).
    const std::function<void(int64_t, int)> * fn = nullptr;
    int64_t n = 0;
    std::atomic<int64_t> next{ 0 };
    uint64_t generation = 0;   // bumped once per job
    int busy = 0;              // workers that have not finished the job
    bool stop = false;
    std::mutex call;           // one parallel_for at a time per pool

    void drain(int worker) {
        const int outer = tl_worker;
        tl_worker = worker;
        for (int64_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) (*fn)(i, worker);
        tl_worker = outer;
    }

    void worker_loop(int worker) {
        uint64_t seen = 0;
        for (;;) {
            std::unique_lock<std::mutex> lk(mu);
            start.wait(lk, [&] { return stop || generation != seen; });
            if (stop) return;
            seen = generation;
            lk.unlock();
            drain(worker);
            lk.lock();
            if (--busy == 0) done.notify_all();
        }
    }
};

thread_pool::thread_pool(int n_threads) {
    size_ = n_threads <= 0 ? thread_count_default() : std::min(n_threads, 256);
    if (!k_threads) size_ = 1;
    if (size_ == 1) return;
    st_ = std::make_unique<state>();
    // A thread that cannot be created (in the browser: no free web worker in
    // the pthread pool) shrinks the pool instead of failing the run.
    for (int w = 1; w < size_; ++w) {
        try {
            st_->threads.emplace_back([s = st_.get(), w] { s->worker_loop(w); });
        } catch (const std::system_error &) {
            break;
        }
    }
    size_ = 1 + (int) st_->threads.size();
}

thread_pool::~thread_pool() {
    if (!st_) return;
    {
        std::lock_guard<std::mutex> lk(st_->mu);
        st_->stop = true;
    }
    st_->start.notify_all();
    for (std::thread & t : st_->threads) t.join();
}

void thread_pool::parallel_for(int64_t n, const std::function<void(int64_t, int)> & fn) {
    if (n <= 0) return;
    if (size_ == 1 || n == 1 || tl_worker >= 0) {
        const int w = tl_worker >= 0 ? tl_worker : 0;
        for (int64_t i = 0; i < n; ++i) fn(i, w);
        return;
    }
    std::lock_guard<std::mutex> call(st_->call);
    {
        std::lock_guard<std::mutex> lk(st_->mu);
        st_->fn = &fn;
        st_->n = n;
        st_->next.store(0);
        st_->busy = size_ - 1;
        ++st_->generation;
    }
    st_->start.notify_all();
    st_->drain(0);   // the calling thread is worker 0
    std::unique_lock<std::mutex> lk(st_->mu);
    st_->done.wait(lk, [&] { return st_->busy == 0; });
    st_->fn = nullptr;
}

void parallel_for(thread_pool * pool, int64_t n, const std::function<void(int64_t, int)> & fn) {
    if (pool) {
        pool->parallel_for(n, fn);
        return;
    }
    const int w = tl_worker >= 0 ? tl_worker : 0;
    for (int64_t i = 0; i < n; ++i) fn(i, w);
}

} // namespace gc
