// The weight check: quick/full buttons, progress, verdict banner, heatmap
// (layers x classes, colour relative to each type's band), per-class chart
// across layers, findings, the tensor table and one tensor's details.
import { busy, compare_run, reference, run_compare, selected_tensor, show_tensor } from '../state.js';
import { byte_progress, class_series, format_num, format_sci, format_secs, heatmap_grid, verdict_class } from '../check-view.js';
import { format_bytes } from '../report-view.js';
import { Heatmap, LineChart } from './charts.jsx';
import { Progress } from './progress.jsx';

function Controls() {
  const run = compare_run.value;
  const has_ref = !!reference.value?.open;
  return (
    <div class="drop-actions">
      <button id="check-quick" type="button" class="button" disabled={busy.value} onClick={() => run_compare(true)}>
        Quick check (sampled rows)
      </button>
      <button id="check-full" type="button" class="button secondary" disabled={busy.value} onClick={() => run_compare(false)}>
        Full check (every row)
      </button>
      <span class="dim">{has_ref ? `against ${reference.value.description}` : 'no reference: statistics of the weights alone'}</span>
      {run?.state === 'cancelled' && <span id="check-cancelled" class="dim"> — cancelled</span>}
    </div>
  );
}

function RunProgress({ run }) {
  const p = byte_progress(run);
  return (
    <Progress id="check-progress" fraction={p.fraction}>
      {format_bytes(p.done)} of {format_bytes(p.total)} · {p.mbps == null ? '—' : `${p.mbps.toFixed(1)} MB/s`} · ETA {format_secs(p.eta)}
      {p.tensor && <> · <code>{p.tensor}</code></>}
    </Progress>
  );
}

function Table({ data, with_ref }) {
  const sel = selected_tensor.value;
  return (
    <table id="check-table" class="tensors">
      <thead>
        {with_ref ? (
          <tr><th>tensor</th><th>type</th><th>ref</th><th class="num">cos</th><th class="num">row cos mean</th><th class="num">row cos min</th><th class="num">rel RMSE</th><th class="num">× band</th><th>status</th></tr>
        ) : (
          <tr><th>tensor</th><th>type</th><th class="num">rms</th><th class="num">max |x|</th><th class="num">kurtosis</th><th class="num">trend offset</th><th>status</th></tr>
        )}
      </thead>
      <tbody>
        {data.tensors.map((t) => (
          <tr key={t.name} class={`tensor status-${t.status}${t.name === sel ? ' selected' : ''}`} data-name={t.name}
              data-status={t.status} onClick={() => show_tensor(t.name)}>
            <td><code>{t.name}</code></td>
            <td><code>{t.type}</code></td>
            {with_ref ? (
              <>
                <td><code>{t.ref_type}</code></td>
                <td class="num">{format_num(t.cos)}</td>
                <td class="num">{format_num(t.cos_row_mean)}</td>
                <td class="num">{format_num(t.cos_row_min)}</td>
                <td class="num">{format_sci(t.rel_rmse)}</td>
                <td class="num">{typeof t.band_ratio === 'number' ? t.band_ratio.toFixed(2) : '—'}</td>
              </>
            ) : (
              <>
                <td class="num">{format_sci(t.rms)}</td>
                <td class="num">{format_sci(t.max_abs)}</td>
                <td class="num">{typeof t.kurtosis === 'number' ? t.kurtosis.toFixed(2) : '—'}</td>
                <td class="num">{typeof t.trend_offset_log10 === 'number' ? t.trend_offset_log10.toFixed(3) : '—'}</td>
              </>
            )}
            <td><span class={`badge status-${t.status}`}>{t.status}</span>{t.note ? <span class="dim"> {t.note}</span> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Result({ data }) {
  const with_ref = data.reference !== undefined;
  const grid = heatmap_grid(data);
  const series = class_series(data, with_ref ? 'cos' : 'rms');
  return (
    <>
      <div id="verdict" class={`verdict ${verdict_class(data.verdict)}`} data-verdict={data.verdict}>
        <strong>{data.verdict.replace('_', ' ')}</strong>{data.quick ? ' (quick check)' : ''}. {data.summary}
        {!with_ref && <div class="dim">Without a reference this check is weaker: it can only see weights that break the
          pattern of their neighbours. Drop the original Hugging Face files (config.json + *.safetensors) or a reference
          GGUF of the same model (F16/BF16/Q8_0) next to this file for a real comparison.</div>}
      </div>
      {data.findings.length > 0 && (
        <ul id="check-findings" class="findings">
          {data.findings.map((f, i) => (
            <li key={i} class={`finding ${f.severity}`} data-code={f.code} data-severity={f.severity}>
              <span class={`badge ${f.severity}`}>{f.severity}</span> <code class="code">{f.code}</code> <span class="message">{f.message}</span>
            </li>
          ))}
        </ul>
      )}
      <div class="charts">
        <div>
          <h3>{with_ref ? 'Cosine relative to each type’s expected noise' : 'Distance from the class trend'}</h3>
          <Heatmap grid={grid} selected={selected_tensor.value} onPick={show_tensor}
                   label="layers by tensor class; green = within the type's band, red = far outside, grey = not compared" />
          <p class="dim legend-text">colour: (1 − cos) relative to the quant type’s usual error — green ≤ 1×, shading through yellow to red at 30× (damaged: red) · grey: not compared. Click a cell for details.</p>
        </div>
        <div>
          <h3>{with_ref ? 'Cosine per class across layers' : 'RMS per class across layers'}</h3>
          <LineChart id="class-chart" series={series} ylabel={with_ref ? 'cos' : 'rms'} />
        </div>
      </div>
      <h3>Tensors</h3>
      <Table data={data} with_ref={with_ref} />
      <h3>Layers</h3>
      <table id="check-layers" class="tensors">
        <thead><tr><th class="num">layer</th>{with_ref && <><th class="num">cos min</th><th class="num">cos mean</th></>}<th>worst tensor</th><th>status</th></tr></thead>
        <tbody>
          {data.layers.map((l) => (
            <tr key={l.layer} data-layer={l.layer} data-status={l.status}>
              <td class="num">{l.layer}</td>
              {with_ref && <><td class="num">{format_num(l.cos_min)}</td><td class="num">{format_num(l.cos_mean)}</td></>}
              <td><code>{l.worst_tensor}</code></td>
              <td><span class={`badge status-${l.status}`}>{l.status}</span></td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function WeightCheck() {
  const run = compare_run.value;
  return (
    <section id="weight-check" class="card" data-state={run?.state ?? 'idle'}>
      <h2>Weight check</h2>
      <Controls />
      {run?.state === 'running' && <RunProgress run={run} />}
      {run?.state === 'failed' && <p class="status error">{run.error}</p>}
      {run?.state === 'done' && (
        <>
          {run.data.quick && <p class="dim">Quick check done in {format_secs(run.ms / 1000)}: about 2 % of each tensor’s rows.
            <button type="button" class="link" disabled={busy.value} onClick={() => run_compare(false)}>Run the full check</button> for exact numbers.</p>}
          <Result data={run.data} />
        </>
      )}
    </section>
  );
}
