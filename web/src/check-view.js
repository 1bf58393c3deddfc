// Pure functions from the weight-check JSON (`ggufcheck compare --json`,
// with or without a reference, see core/check/compare.h and selfcheck.h)
// and the ppl JSON (`ggufcheck ppl --json`) to what the components draw. No
// metric is computed here: every number comes from the core; this only
// arranges, scales colours and formats.

// Layers x tensor classes. Rows: each layer (ascending), then "other" for
// tensors outside layers (token_embd, output_norm, output) when present.
// Columns: classes in order of first appearance. cell = the tensor row of
// the JSON (or undefined when that layer has no tensor of that class).
export function heatmap_grid(check) {
  const classes = [];
  const rows = new Map();
  for (const t of check?.tensors ?? []) {
    const cls = t.class || t.name;
    if (!classes.includes(cls)) classes.push(cls);
    const key = t.layer >= 0 ? t.layer : 'other';
    if (!rows.has(key)) rows.set(key, new Map());
    rows.get(key).set(cls, t);
  }
  const keys = [...rows.keys()].filter((k) => k !== 'other').sort((a, b) => a - b);
  if (rows.has('other')) keys.push('other');
  return { classes, rows: keys.map((k) => ({ layer: k, cells: classes.map((c) => rows.get(k).get(c)) })) };
}

// How far a tensor is from healthy, 0 (fine) .. 1 (far off), or null when
// it was not compared. With a reference: band_ratio = (1 - cos) / the
// type's expected error, so 1 is "as noisy as this type usually is"; the
// scale is logarithmic from 1 (0) to 30x (1). Reference-free: the distance
// from the class trend in decades (trend_offset_log10), 0 .. 1 decade.
export function badness(t) {
  if (!t || t.status === 'skipped') return null;
  if (t.band_ratio !== undefined) {
    const r = t.band_ratio;
    if (!(r > 1)) return 0;
    return Math.min(1, Math.log10(r) / Math.log10(30));
  }
  if (t.trend_offset_log10 !== undefined) return Math.min(1, Math.abs(t.trend_offset_log10));
  return 0;
}

// Green (0) through yellow to red (1); grey when not compared. Damaged
// tensors are red whatever their ratio.
export function badness_colour(t) {
  const b = badness(t);
  if (b === null) return '#b8b8b8';
  if (t.status === 'damaged') return 'hsl(0, 75%, 48%)';
  const hue = 120 * (1 - b);
  return `hsl(${hue.toFixed(0)}, 65%, ${(45 + 5 * (1 - b)).toFixed(0)}%)`;
}

// Per class: [{ layer, value }] over layers, value = key of the tensor row
// (cos with a reference, rms without). Classes with fewer than two layers
// are left out (nothing to draw a line through).
export function class_series(check, key) {
  const by = new Map();
  for (const t of check?.tensors ?? []) {
    if (t.layer < 0 || t.status === 'skipped' || typeof t[key] !== 'number') continue;
    if (!by.has(t.class)) by.set(t.class, []);
    by.get(t.class).push({ layer: t.layer, value: t[key] });
  }
  return [...by.entries()].filter(([, pts]) => pts.length >= 2)
    .map(([cls, pts]) => ({ name: cls, points: pts.sort((a, b) => a.layer - b.layer) }));
}

// Progress numbers for a byte-counting run: fraction, MB/s, ETA seconds.
export function byte_progress(run) {
  const p = run?.progress;
  if (!p || !p.total) return { fraction: 0, mbps: null, eta: null, done: 0, total: 0 };
  const secs = (p.at - run.t0) / 1000;
  const mbps = secs > 0 ? p.done / 1e6 / secs : null;
  const eta = mbps > 0 ? (p.total - p.done) / 1e6 / mbps : null;
  return { fraction: p.done / p.total, mbps, eta, done: p.done, total: p.total, tensor: p.tensor };
}

// Progress of a ppl run: layers done over all batches, tokens/s, ETA.
export function ppl_progress(run) {
  const p = run?.progress;
  if (!p || !p.n_batches) return { fraction: 0, tps: null, eta: null };
  const steps = p.n_batches * (p.n_layers + 1);
  const done = p.batch * (p.n_layers + 1) + p.layer + 1;
  const fraction = Math.min(1, done / steps);
  const secs = (p.at - run.t0) / 1000;
  const tokens = fraction * p.n_chunks * (run.n_ctx ?? 0);
  const tps = secs > 0 ? tokens / secs : null;
  const eta = fraction > 0 ? secs * (1 - fraction) / fraction : null;
  return { fraction, tps, eta, layer: p.layer, n_layers: p.n_layers, batch: p.batch, n_batches: p.n_batches };
}

export function format_secs(s) {
  if (s == null || !isFinite(s)) return '—';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export const format_num = (x, digits = 6) => (typeof x === 'number' ? x.toFixed(digits) : '—');
export const format_sci = (x) => (typeof x === 'number' ? x.toExponential(2) : '—');

// Verdict words -> banner class.
export function verdict_class(v) {
  if (v === 'healthy' || v === 'no_anomaly' || v === 'ok' || v === 'plausible') return 'ok';
  if (v === 'damaged' || v === 'broken') return 'bad';
  if (v === 'cancelled' || v === 'unknown') return 'neutral';
  return 'warn';
}
