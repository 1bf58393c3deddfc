// The token ids every engine of the benchmark evaluates: the sequence of
// `ggufcheck bench forward` (cli/cmd-bench.cpp: LCG s = s*1664525 + 1013904223
// from s = 1, id = (s >> 8) mod n_vocab), with the BOS id first, as the
// perplexity evaluation puts it there anyway. Random ids, so no tokenizer
// is involved and the generated models' vocabulary is enough.
export function bench_tokens(n, n_vocab, bos = 1) {
  const tokens = [];
  let s = 1;
  for (let i = 0; i < n; ++i) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    tokens.push((s >>> 8) % n_vocab);
  }
  if (n > 0) tokens[0] = bos;
  return tokens;
}
