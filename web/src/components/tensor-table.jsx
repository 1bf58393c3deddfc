// The tensor table: grouped by layer, sortable by column, filterable by name
// or type.
import { busy, run_scan, scan_run, selected_tensor, show_tensor, sort_tensors_by, tensor_filter, tensor_sort, tensors, report } from '../state.js';
import { byte_progress, format_secs, format_sci } from '../check-view.js';
import { format_bytes, format_int } from '../report-view.js';
import { Progress } from './progress.jsx';

const COLUMNS = [
  { key: 'name', label: 'name' },
  { key: 'type', label: 'type' },
  { key: null, label: 'shape (ne0, ne1, …)' },
  { key: 'params', label: 'parameters', num: true },
  { key: 'nbytes', label: 'size', num: true },
  { key: 'offset', label: 'offset', num: true },
];

// The value scan's row per tensor name (`ggufcheck dequant --stats --json`).
function scan_rows() {
  const run = scan_run.value;
  if (run?.state !== 'done') return null;
  return new Map(run.data.tensors.map((t) => [t.name, t]));
}

function ScanCells({ s }) {
  if (!s) return <><td /><td /><td /><td /><td /></>;
  const bad = s.nan + s.inf + s.scale_nonfinite_blocks > 0;
  return (
    <>
      <td class="num">{format_sci(s.min)}</td>
      <td class="num">{format_sci(s.max)}</td>
      <td class="num">{format_sci(s.mean)}</td>
      <td class="num">{format_sci(s.std)}</td>
      <td class={bad ? 'num error' : 'num'} data-nonfinite={s.nan + s.inf}>{s.nan + s.inf}{s.zero_blocks ? ` · ${s.zero_blocks} zero blk` : ''}</td>
    </>
  );
}

function Scan() {
  const run = scan_run.value;
  const p = run?.state === 'running' ? byte_progress(run) : null;
  return (
    <div class="scan">
      <button id="scan-values" type="button" class="button secondary" disabled={busy.value} onClick={run_scan}>Scan values</button>
      <span class="dim"> reads every tensor (the whole file) for min/max/mean/std, NaN/Inf, zero blocks and broken block scales</span>
      {p && <Progress id="scan-progress" fraction={p.fraction}>{format_bytes(p.done)} of {format_bytes(p.total)} · {p.mbps == null ? '—' : `${p.mbps.toFixed(1)} MB/s`} · ETA {format_secs(p.eta)}</Progress>}
      {run?.state === 'failed' && <p class="status error">{run.error}</p>}
      {run?.state === 'done' && (
        run.data.findings.length === 0
          ? <p id="scan-ok" class="ok">No NaN or Inf values and no broken block scales in {run.data.tensors.length} tensors ({run.data.kernel}).</p>
          : <ul id="scan-findings" class="findings">{run.data.findings.map((f, i) => (
              <li key={i} class={`finding ${f.severity}`} data-code={f.code}><span class={`badge ${f.severity}`}>{f.severity}</span> <code>{f.code}</code> {f.message}</li>))}</ul>
      )}
      {run?.state === 'done' && run.data.skipped.length > 0 && <p class="dim">{run.data.skipped.length} tensor(s) skipped: {run.data.skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}</p>}
    </div>
  );
}

function Header({ scanned }) {
  const s = tensor_sort.value;
  return (
    <tr>
      {COLUMNS.map((c) => {
        const active = c.key && s.key === c.key;
        return (
          <th key={c.label} class={c.num ? 'num' : ''}
              aria-sort={active ? (s.dir > 0 ? 'ascending' : 'descending') : undefined}>
            {c.key ? (
              <button type="button" class="link" data-sort={c.key} onClick={() => sort_tensors_by(c.key)}>
                {c.label}{active ? (s.dir > 0 ? ' ▲' : ' ▼') : ''}
              </button>
            ) : c.label}
          </th>
        );
      })}
      {scanned && <><th class="num">min</th><th class="num">max</th><th class="num">mean</th><th class="num">std</th><th class="num">NaN+Inf</th></>}
    </tr>
  );
}

export function TensorTable() {
  const groups = tensors.value;
  const shown = groups.reduce((n, g) => n + g.tensors.length, 0);
  const scan = scan_rows();
  const sel = selected_tensor.value;
  return (
    <section id="tensors" class="card">
      <h2>Tensors <span class="dim">({shown} of {report.value.tensors.length})</span></h2>
      <input id="tensor-filter" type="search" placeholder="filter by name or type" value={tensor_filter.value}
             onInput={(e) => { tensor_filter.value = e.currentTarget.value; }} />
      <Scan />
      <table class="tensors">
        <thead><Header scanned={!!scan} /></thead>
        {groups.map((g) => (
          <tbody key={g.label} data-layer={g.layer ?? 'none'}>
            <tr class="group">
              <th colSpan={3}>{g.label} <span class="dim">({g.tensors.length})</span></th>
              <th class="num">{format_int(g.params)}</th>
              <th class="num">{format_bytes(g.bytes)}</th>
              <th />
              {scan && <th colSpan={5} />}
            </tr>
            {g.tensors.map((t) => (
              <tr key={t.name + t.index} class={t.name === sel ? 'tensor selected' : 'tensor'} onClick={() => show_tensor(t.name)} data-name={t.name} data-offset={t.offset} data-nbytes={t.nbytes ?? ''}>
                <td><code>{t.name}</code></td>
                <td><code>{t.type}</code></td>
                <td>{t.shape.join(' × ')}</td>
                <td class="num">{format_int(t.params)}</td>
                <td class="num">{t.nbytes == null ? '—' : format_bytes(t.nbytes)}</td>
                <td class="num">{format_int(t.offset)}</td>
                {scan && <ScanCells s={scan.get(t.name)} />}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </section>
  );
}
