// Benchmark (not a test): the forward's GEMM in the wasm build against the
// measured SIMD128 peak, one thread, as `ggufcheck bench gemm` does natively.
//   node tests/wasm/bench-gemm.mjs [tokens=512] [n_in=2048] [n_out=2048] [min_time_s=2]
import { load_module } from './helpers.mjs';

const [t = 512, i = 2048, o = 2048, s = 2] = process.argv.slice(2).map(Number);
const M = await load_module();
const r = JSON.parse(M.benchGemmJson(t, i, o, s));
console.log(`wasm GEMM ${t}x${i} . ${i}x${o}: ${r.ours_1t.toFixed(1)} GFLOP/s, ${r.peak_isa} peak ${r.simd_peak_1t.toFixed(1)} GFLOP/s, ` +
  `ratio ${(100 * r.ratio_1t).toFixed(1)} % (one thread)`);
console.log(JSON.stringify(r));
