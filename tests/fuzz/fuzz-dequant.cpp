// Fuzz target: dequantization through the type table (core/quant/dequant-rows.h).
// Input: 4 control bytes then the tensor bytes.
//   [0] ggml type id (any 0..255: unknown and retired ids must be refused)
//   [1] blocks per row - 1 (mod 16)      [2] rows - 1 (mod 8)
//   [3] bits 0-2: data offset in the source; bits 3-4: read chunk in blocks - 1;
//       bits 5-7: tile selector
// Invariants checked: the fast path (SIMD) and the scalar reference agree
// bit for bit on every input (except that any NaN equals any NaN); a tile
// equals the same cut of the rows; a failure happens on both paths or neither.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "format/ggml-types.h"
#include "fuzz-targets.h"
#include "io/byte-source.h"
#include "quant/dequant-rows.h"

namespace gc_fuzz {

int fuzz_dequant(const uint8_t * data, size_t size) {
    if (size < 4) return 0;
    const uint32_t type = data[0];
    const uint64_t blocks_per_row = 1 + data[1] % 16;
    const uint64_t n_rows = 1 + data[2] % 8;
    const uint64_t data_offset = data[3] & 7;
    const uint64_t chunk_blocks = 1 + ((data[3] >> 3) & 3);
    const uint32_t tile_sel = data[3] >> 5;

    const gc::ggml_type_info * info = gc::ggml_type_get(type);
    // Unknown ids and retired ones (block_size 0) must be refused by
    // tensor_layout_make; pick some ne0 for them too.
    const uint64_t bs = info && info->block_size > 0 ? (uint64_t) info->block_size : 32;
    const uint64_t ne0 = bs * blocks_per_row;

    std::vector<uint8_t> bytes(data + 4, data + size);
    auto src = gc::byte_source_from_memory(std::move(bytes), "tensor.bin");

    gc::tensor_layout t;
    std::string error;
    if (!gc::tensor_layout_make(type, ne0, n_rows, data_offset, &t, &error)) {
        if (error.empty()) fuzz_fail("tensor_layout_make failed without a message");
        if (gc::ggml_type_readable(type) && info->block_size > 0 && ne0 % bs == 0)
            fuzz_fail("tensor_layout_make refused a readable type with whole blocks");
        return 0;
    }
    if (!info || !gc::ggml_type_readable(type)) fuzz_fail("layout accepted an unreadable type");

    gc::dequant_options ref_opt, fast_opt;
    ref_opt.use_ref = true;
    ref_opt.chunk_bytes = fast_opt.chunk_bytes = (size_t) (chunk_blocks * (uint64_t) info->type_size);

    const size_t n = (size_t) (ne0 * n_rows);
    std::vector<float> ref(n, 1.0f), fast(n, 2.0f);
    std::string e_ref, e_fast;
    const bool ok_ref = gc::dequant_rows(*src, t, 0, n_rows, ref.data(), &e_ref, ref_opt);
    const bool ok_fast = gc::dequant_rows(*src, t, 0, n_rows, fast.data(), &e_fast, fast_opt);
    if (ok_ref != ok_fast) fuzz_fail("ref and fast dequant disagree on success");
    if (!ok_ref) {
        if (e_ref.empty()) fuzz_fail("dequant_rows failed without a message");
        return 0;
    }
    if (std::memcmp(ref.data(), fast.data(), n * sizeof(float)) != 0) {
        for (size_t i = 0; i < n; ++i) {
            uint32_t a, b;
            std::memcpy(&a, &ref[i], 4);
            std::memcpy(&b, &fast[i], 4);
            // NaN == NaN whatever its sign and payload: IEEE 754 leaves the
            // sign of a NaN produced by arithmetic unspecified (x86 keeps the
            // NaN operand's sign in NaN * -1, a sign flip by XOR does not),
            // so the two paths may legitimately differ there and nowhere else.
            if (a != b && !(std::isnan(ref[i]) && std::isnan(fast[i]))) {
                std::fprintf(stderr, "type %s (%u) ne0 %llu element %zu: ref %08x fast %08x\n", info->name, type,
                             (unsigned long long) ne0, i, a, b);
                fuzz_fail("fast dequant differs from the scalar reference");
            }
        }
    }

    // A tile (rows [r0, r1) x whole blocks [c0, c1)) equals the same cut of
    // the rows, bit for bit (same path, same blocks).
    const uint64_t r0 = tile_sel % n_rows, r1 = n_rows;
    const uint64_t c0 = bs * (tile_sel % blocks_per_row), c1 = ne0;
    const uint64_t ld = (c1 - c0) + (tile_sel & 1);
    std::vector<float> tile((size_t) ((r1 - r0) * ld), 0.0f);
    if (!gc::dequant_tile(*src, t, r0, r1, c0, c1, tile.data(), ld, &error, fast_opt))
        fuzz_fail("dequant_tile failed where dequant_rows succeeded");
    for (uint64_t r = r0; r < r1; ++r) {
        if (std::memcmp(&tile[(size_t) ((r - r0) * ld)], &fast[(size_t) (r * ne0 + c0)], (size_t) (c1 - c0) * sizeof(float)))
            fuzz_fail("tile differs from the rows");
    }
    // Invalid ranges are errors, not reads out of bounds.
    if (gc::dequant_rows(*src, t, n_rows, n_rows + 1, ref.data(), &error, fast_opt)) fuzz_fail("row past the end accepted");
    if (gc::dequant_rows(*src, t, 1, 0, ref.data(), &error, fast_opt)) fuzz_fail("r1 < r0 accepted");
    return 0;
}

} // namespace gc_fuzz

GC_FUZZ_ENTRY(fuzz_dequant)
