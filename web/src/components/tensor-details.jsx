// One tensor's details: its weight-check row (with or without a
// reference), the histogram of its row cosines against the reference, its
// value statistics when the scan ran, and a histogram of its values
// (computed in the core, quant/tensor-histogram.h).
import { compare_run, histogram, scan_run, selected_tensor } from '../state.js';
import { format_num, format_sci } from '../check-view.js';
import { format_int } from '../report-view.js';
import { Histogram, RowCosHistogram } from './charts.jsx';

function Row({ label, children }) {
  return <><dt>{label}</dt><dd>{children}</dd></>;
}

export function TensorDetails() {
  const name = selected_tensor.value;
  if (!name) return null;
  const c = compare_run.value?.state === 'done' ? compare_run.value.data.tensors.find((t) => t.name === name) : null;
  const s = scan_run.value?.state === 'done' ? scan_run.value.data.tensors.find((t) => t.name === name) : null;
  const h = histogram.value?.name === name ? histogram.value : null;
  const nonfinite = h?.state === 'done' && (h.data.nan + h.data.pos_inf + h.data.neg_inf) > 0;
  return (
    <section id="tensor-details" class="card" data-name={name}>
      <h2>Tensor <code>{name}</code> <button type="button" class="link" onClick={() => { selected_tensor.value = null; }}>close</button></h2>
      <dl class="summary">
        {c && (
          <>
            <Row label="type">{c.type}{c.ref_type ? ` (reference ${c.ref_type})` : ''}</Row>
            <Row label="status"><span class={`badge status-${c.status}`}>{c.status}</span> {c.note}</Row>
            {c.cos !== undefined && (
              <>
                <Row label="cosine">{format_num(c.cos, 8)}</Row>
                <Row label="row cosine mean / min">{format_num(c.cos_row_mean, 8)} / {format_num(c.cos_row_min, 8)}
                  {c.cos_row_mean_err ? <span class="dim"> (± {format_sci(c.cos_row_mean_err)} sampled)</span> : null}</Row>
                <Row label="relative RMSE">{format_sci(c.rel_rmse)}</Row>
                <Row label="max abs error">{format_sci(c.max_abs)}</Row>
                <Row label="× type band">{typeof c.band_ratio === 'number' ? c.band_ratio.toFixed(3) : '—'}</Row>
                {c.bit_exact !== null && c.bit_exact !== undefined && <Row label="bit-exact">{c.bit_exact ? 'yes' : 'no'}</Row>}
                {c.value !== undefined && <Row label="value / reference">{c.value} / {c.ref_value}</Row>}
                <Row label="rows compared">{format_int(c.rows_compared)} of {format_int(c.rows)}</Row>
              </>
            )}
            {c.rms !== undefined && (
              <>
                <Row label="rms / mean">{format_sci(c.rms)} / {format_sci(c.mean)}</Row>
                <Row label="max |x|">{format_sci(c.max_abs)}</Row>
                <Row label="kurtosis">{typeof c.kurtosis === 'number' ? c.kurtosis.toFixed(3) : '—'}</Row>
                <Row label="rows read">{format_int(c.rows_read)} of {format_int(c.rows)}</Row>
              </>
            )}
          </>
        )}
        {s && (
          <>
            <Row label="min / max">{format_sci(s.min)} / {format_sci(s.max)}</Row>
            <Row label="mean / std">{format_sci(s.mean)} / {format_sci(s.std)}</Row>
            <Row label="NaN / Inf / subnormal">{format_int(s.nan)} / {format_int(s.inf)} / {format_int(s.subnormal)}</Row>
            <Row label="all-zero blocks">{format_int(s.zero_blocks)} of {format_int(s.blocks)}</Row>
            <Row label="zero / non-finite scales">{format_int(s.scale_zero_blocks)} / {format_int(s.scale_nonfinite_blocks)} of {format_int(s.scale_blocks)}</Row>
          </>
        )}
      </dl>
      {c?.row_cos_hist && (
        <>
          <h3>Row cosines against the reference</h3>
          <RowCosHistogram h={c.row_cos_hist} />
        </>
      )}
      <h3>Values</h3>
      {h?.state === 'running' && <p class="dim">reading…</p>}
      {h?.state === 'failed' && <p class="status error">{h.error}</p>}
      {h?.state === 'done' && (
        <>
          <Histogram h={h.data} />
          <p class="dim">{format_int(h.data.count)} values, {h.data.counts.length} bins over [{h.data.lo.toPrecision(5)}, {h.data.hi.toPrecision(5)}]</p>
          {nonfinite && <p id="histogram-nonfinite" class="finding error">NaN {format_int(h.data.nan)}, +Inf {format_int(h.data.pos_inf)}, −Inf {format_int(h.data.neg_inf)}: this tensor poisons every computation that touches it.</p>}
        </>
      )}
    </section>
  );
}
