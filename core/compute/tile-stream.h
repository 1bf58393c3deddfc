// Streams the tiles of a weight matrix through a thread pool: the calling
// thread produces tiles, every thread consumes them.
//
// Why the caller alone produces: producing a tile means reading bytes from a
// byte source and dequantizing them, and in the browser a read is a
// synchronous JS call (FileReaderSync on the user's File) that only the
// thread that entered wasm can make; pool threads see no JS objects. So
// reads stay on the caller, and the GEMMs, which only touch memory, spread
// over the pool. While the other threads compute, the caller reads ahead
// into free slots, so reading overlaps computing.
//
// Contract:
//  - produce(i, buf, error) runs on the calling thread only, for
//    i = 0, 1, 2, ... in order, into a slot of slot_floats floats. It returns
//    false (with *error) to stop: no later tile is produced, the tiles already
//    produced are still consumed, and stream_tiles returns false with that
//    error (always the lowest failing index, whatever the thread count).
//  - consume(i, buf, worker) runs exactly once for every produced tile, on
//    any thread (worker is the pool's worker index, for per-worker scratch).
//    Tiles are handed out in index order; several run concurrently, so
//    consume(i) writes only tile i's outputs. A consume may wait for an
//    earlier tile's consume to finish (tiles are taken in order, so the
//    earliest unfinished tile never waits: no deadlock).
//  - Results are therefore bit-identical for every thread count.
//
// Memory: `slots` holds the tile buffers (2 per thread, 1 without threads),
// kept by the caller so that repeated streams reuse them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gc {

class thread_pool;

using tile_slots = std::vector<std::vector<float>>;

bool stream_tiles(thread_pool * pool, int64_t n_tiles, size_t slot_floats, tile_slots & slots,
                  const std::function<bool(int64_t i, float * buf, std::string * error)> & produce,
                  const std::function<void(int64_t i, const float * buf, int worker)> & consume,
                  std::string * error);

} // namespace gc
