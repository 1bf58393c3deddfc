// Benchmark (not a test): the forward's GEMM in the wasm build against the
// measured SIMD128 peak, one thread, as `ggufcheck bench gemm` does natively.
//   node tests/wasm/bench-gemm.mjs [tokens=512] [n_in=2048] [n_out=2048] [min_time_s=2]
// First line: benchGemmJson (wasm/bench-bindings.cpp: peak and tiled GEMM
// measured one after the other, wall time). Then the side-by-side run
// (wasm/gemm-bindings.cpp: peak loop, Eigen, ours, in interleaved rounds,
// in node's process CPU time, so that other processes' load does not count),
// each GEMM with the tile freshly written as the forward does ("fresh") and
// read in place from the whole W ("inplace").
import { load_module } from './helpers.mjs';

const [t = 512, i = 2048, o = 2048, s = 2] = process.argv.slice(2).map(Number);
const M = await load_module();
M.benchGemmCompareJson(64, 512, 512, 1);   // warm-up: V8 swaps in optimized code
const r = JSON.parse(M.benchGemmJson(t, i, o, s));
console.log(`wasm GEMM ${t}x${i} . ${i}x${o}: ${r.ours_1t.toFixed(1)} GFLOP/s, ${r.peak_isa} peak ${r.simd_peak_1t.toFixed(1)} GFLOP/s, ` +
  `ratio ${(100 * r.ratio_1t).toFixed(1)} % (one thread)`);
console.log(JSON.stringify(r));
const c = JSON.parse(M.benchGemmCompareJson(t, i, o, s));
const pc = g => `${g.toFixed(1)} GFLOP/s (${(100 * g / c.peak).toFixed(1)} %)`;
console.log(`side by side (${c.isa}, tile ${c.shape.tile_rows} rows, peak ${c.peak.toFixed(1)} GFLOP/s):`);
console.log(`  fresh tile:   eigen ${pc(c.eigen_fresh)}, ours ${pc(c.ours_fresh)}, ours/eigen ${(c.ours_fresh / c.eigen_fresh).toFixed(2)}x`);
console.log(`  W in place:   eigen ${pc(c.eigen_inplace)}, ours ${pc(c.ours_inplace)}, ours/eigen ${(c.ours_inplace / c.eigen_inplace).toFixed(2)}x`);
console.log(JSON.stringify(c));
