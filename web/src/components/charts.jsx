// Small SVG charts (no chart library): the layer x class heatmap, a line
// chart of series over layers, and a bar histogram. Render only; the data
// arrive arranged by check-view.js.
import { badness_colour } from '../check-view.js';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

// grid = heatmap_grid(); onPick(name) when a cell is clicked.
export function Heatmap({ grid, selected, onPick, label }) {
  const cw = 34, ch = 18, left = 54, top = 92;
  const w = left + grid.classes.length * cw + 4;
  const h = top + grid.rows.length * ch + 4;
  return (
    <svg id="heatmap" class="heatmap" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      {grid.classes.map((c, j) => (
        <text key={c} class="axis" transform={`translate(${left + j * cw + cw / 2 + 4}, ${top - 6}) rotate(-55)`}>{c}</text>
      ))}
      {grid.rows.map((r, i) => (
        <g key={r.layer}>
          <text class="axis" x={left - 6} y={top + i * ch + ch / 2 + 4} text-anchor="end">{r.layer === 'other' ? 'other' : `L${r.layer}`}</text>
          {r.cells.map((t, j) => t && (
            <rect key={j} class={t.name === selected ? 'cell selected' : 'cell'} data-name={t.name} data-status={t.status}
                  x={left + j * cw + 1} y={top + i * ch + 1} width={cw - 2} height={ch - 2} fill={badness_colour(t)}
                  onClick={() => onPick(t.name)}>
              <title>{`${t.name}: ${t.status}${t.cos !== undefined ? `, cos ${t.cos.toFixed(6)}` : ''}${t.band_ratio !== undefined ? `, ${t.band_ratio.toFixed(2)}x the type's noise` : ''}`}</title>
            </rect>
          ))}
        </g>
      ))}
    </svg>
  );
}

// series = [{ name, points: [{ layer, value }] }]; x = layer.
export function LineChart({ id, series, ylabel, xlabel = 'layer', width = 520, height = 240 }) {
  const pts = series.flatMap((s) => s.points);
  if (pts.length === 0) return null;
  const left = 64, right = 130, top = 10, bottom = 28;
  const xs = pts.map((p) => p.layer), ys = pts.map((p) => p.value);
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
  let y0 = Math.min(...ys), y1 = Math.max(...ys);
  if (y1 - y0 < 1e-12) { y0 -= 1e-6; y1 += 1e-6; }
  const pw = width - left - right, ph = height - top - bottom;
  const X = (x) => left + ((x - x0) / (x1 - x0)) * pw;
  const Y = (y) => top + (1 - (y - y0) / (y1 - y0)) * ph;
  const ticks = [y0, (y0 + y1) / 2, y1];
  const digits = Math.max(0, Math.min(8, Math.ceil(-Math.log10(y1 - y0)) + 2));
  return (
    <svg id={id} class="line-chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={ylabel}>
      <line class="frame" x1={left} y1={top} x2={left} y2={top + ph} />
      <line class="frame" x1={left} y1={top + ph} x2={left + pw} y2={top + ph} />
      {ticks.map((t, i) => <text key={i} class="axis" x={left - 4} y={Y(t) + 4} text-anchor="end">{t.toFixed(digits)}</text>)}
      {[...new Set(xs)].filter((x, i, all) => all.length <= 16 || i % Math.ceil(all.length / 16) === 0).map((x) => <text key={x} class="axis" x={X(x)} y={top + ph + 16} text-anchor="middle">{x}</text>)}
      <text class="axis" x={left + pw / 2} y={height - 1} text-anchor="middle">{xlabel}</text>
      {series.map((s, k) => (
        <g key={s.name} data-series={s.name}>
          <polyline fill="none" stroke={PALETTE[k % PALETTE.length]} stroke-width="1.5"
                    points={s.points.map((p) => `${X(p.layer)},${Y(p.value)}`).join(' ')} />
          {s.points.map((p) => <circle key={p.layer} cx={X(p.layer)} cy={Y(p.value)} r="2.5" fill={PALETTE[k % PALETTE.length]}>
            <title>{`${s.name} L${p.layer}: ${p.value}`}</title></circle>)}
          <text class="legend" x={left + pw + 8} y={top + 12 + k * 14} fill={PALETTE[k % PALETTE.length]}>{s.name}</text>
        </g>
      ))}
    </svg>
  );
}

// A curve over an index (the ppl per-chunk cumulative values).
export function IndexChart({ id, values, ylabel }) {
  return <LineChart id={id} ylabel={ylabel} xlabel="chunk" series={[{ name: ylabel, points: values.map((v, i) => ({ layer: i + 1, value: v })) }]} />;
}

// h = the histogram JSON (quant/tensor-histogram.h).
export function Histogram({ h, width = 420, height = 150 }) {
  const max = Math.max(1, ...h.counts);
  const bw = width / h.counts.length;
  return (
    <svg id="histogram" class="histogram" width={width} height={height + 18} viewBox={`0 0 ${width} ${height + 18}`} role="img" aria-label="value histogram">
      {h.counts.map((c, i) => {
        const bh = (c / max) * height;
        return <rect key={i} x={i * bw} y={height - bh} width={Math.max(1, bw - 1)} height={bh} class="bar">
          <title>{`[${(h.lo + i * (h.hi - h.lo) / h.counts.length).toPrecision(4)}, ${(h.lo + (i + 1) * (h.hi - h.lo) / h.counts.length).toPrecision(4)}): ${c}`}</title>
        </rect>;
      })}
      <text class="axis" x="0" y={height + 14}>{h.lo.toPrecision(4)}</text>
      <text class="axis" x={width} y={height + 14} text-anchor="end">{h.hi.toPrecision(4)}</text>
    </svg>
  );
}

// Row-cosine histogram of a compared tensor (compare JSON `row_cos_hist`):
// bars over 1 - cos on a log scale, labelled by decade; the first bar is
// "closer than 10^min" (identical rows included), the last "cos <= 0".
export function RowCosHistogram({ h, width = 420, height = 120 }) {
  const n = h.counts.length;
  const max = Math.max(1, ...h.counts);
  const bw = width / n;
  const edge = (k) => 10 ** (h.log10_1mcos_min + k / h.bins_per_decade);   // lower edge of bin k + 1
  const label = (i) => (i === 0 ? `1 − cos < ${edge(0).toExponential(0)}`
    : i === n - 1 ? 'cos ≤ 0'
      : `1 − cos in [${edge(i - 1).toPrecision(2)}, ${edge(i).toPrecision(2)})`);
  return (
    <svg id="row-cos-histogram" class="histogram" width={width} height={height + 18} viewBox={`0 0 ${width} ${height + 18}`} role="img" aria-label="row cosine histogram">
      {h.counts.map((c, i) => {
        const bh = (c / max) * height;
        return <rect key={i} x={i * bw} y={height - bh} width={Math.max(1, bw - 1)} height={bh} class="bar"><title>{`${label(i)}: ${c} rows`}</title></rect>;
      })}
      <text class="axis" x="0" y={height + 14}>{`1−cos ${edge(0).toExponential(0)}`}</text>
      <text class="axis" x={width} y={height + 14} text-anchor="end">1</text>
    </svg>
  );
}
