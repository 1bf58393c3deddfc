// Perplexity: n_ctx and chunks, run, progress (layer i/N, tokens/s, ETA),
// then PPL ± err with the per-chunk cumulative curve, the verdict, and with a
// reference: ref PPL, ratio, KLD, same top p, hidden-state cosines per layer.
import { busy, engine_threads, ppl_chunks, ppl_ctx, ppl_ggml, ppl_run, ppl_use_ref, reference, run_ppl } from '../state.js';
import { format_secs, ppl_progress, verdict_class } from '../check-view.js';
import { IndexChart, LineChart } from './charts.jsx';
import { Progress } from './progress.jsx';

function int_input(sig, lo, hi) {
  return (e) => {
    const v = Number(e.currentTarget.value);
    if (Number.isInteger(v) && v >= lo && v <= hi) sig.value = v;
  };
}

function Numbers({ d }) {
  const k = d.kld;
  return (
    <table id="ppl-numbers" class="census">
      <tbody>
        <tr><th>PPL</th><td id="ppl-value" data-ppl={d.ppl}>{d.ppl.toFixed(4)} ± {d.ppl_err.toFixed(5)}</td></tr>
        <tr><th>scored tokens</th><td>{d.n_scored} ({d.n_chunks} chunks of {d.n_ctx})</td></tr>
        {d.threads && <tr><th>threads</th><td id="ppl-run-threads">{d.threads}</td></tr>}
        <tr><th>arithmetic</th><td id="ppl-activations" data-activations={d.activations}>
          {d.activations === 'ggml' ? "llama.cpp's (8-bit activations, F16 K/V)" : 'exact f32'}</td></tr>
        {d.ref_ppl !== undefined && (
          <>
            <tr><th>reference PPL</th><td id="ppl-ref">{d.ref_ppl.toFixed(4)} ± {d.ref_ppl_err.toFixed(5)}</td></tr>
            <tr><th>PPL ratio</th><td>{d.ppl_ratio.toFixed(6)}</td></tr>
            <tr><th>KLD mean / median / 99 % / max</th><td>{k.mean.toFixed(6)} / {k.median.toFixed(6)} / {k.p99.toFixed(6)} / {k.max.toFixed(6)}</td></tr>
            <tr><th>same top p</th><td>{d.same_top_p.toFixed(3)} %</td></tr>
            <tr><th>RMS Δp</th><td>{d.rms_dp.toFixed(3)} %</td></tr>
          </>
        )}
      </tbody>
    </table>
  );
}

function Result({ d }) {
  const v = d.verdict;
  return (
    <>
      {v && (
        <div id="ppl-verdict" class={`verdict ${verdict_class(v.status)}`} data-status={v.status}>
          <strong>{v.status.replace('_', ' ')}</strong> <span class="dim">(confidence {v.confidence}, basis {v.basis})</span>. {v.message}
        </div>
      )}
      {d.reference && <p class="dim">reference: {d.reference}</p>}
      <Numbers d={d} />
      <div class="charts">
        <div>
          <h3>Cumulative PPL per chunk</h3>
          <IndexChart id="ppl-chart" values={d.cumulative} ylabel="PPL" />
        </div>
        {d.hidden_cos?.length > 0 && (
          <div>
            <h3>Hidden-state cosine vs the reference after each layer</h3>
            <LineChart id="hidden-cos-chart" ylabel="cos"
                       series={[{ name: 'mean', points: d.hidden_cos.map((h) => ({ layer: h.layer, value: h.mean })) },
                                { name: 'min', points: d.hidden_cos.map((h) => ({ layer: h.layer, value: h.min })) }]} />
          </div>
        )}
      </div>
      {(d.findings ?? []).length > 0 && (
        <ul class="findings">{d.findings.map((f, i) => <li key={i} class={`finding ${f.severity}`}>[{f.severity}] {f.message}</li>)}</ul>
      )}
    </>
  );
}

// How many threads the worker computes on, and why not more.
function Threads({ t }) {
  if (!t) return null;
  return (
    <span id="ppl-threads" class="dim" data-threads={t.threads}>
      {t.threads} {t.threads === 1 ? 'thread' : 'threads'}{t.note ? ` (${t.note})` : ''}
    </span>
  );
}

export function PplPanel() {
  const run = ppl_run.value;
  const has_ref = !!reference.value?.open;
  const p = run?.state === 'running' ? ppl_progress(run) : null;
  return (
    <section id="ppl" class="card" data-state={run?.state ?? 'idle'}>
      <h2>Perplexity</h2>
      <p class="dim">llama-perplexity’s protocol: consecutive chunks of n_ctx tokens, BOS first, the second half of each chunk scored.
        Every layer is streamed from the file, so this works on models larger than memory (slowly: it reads the whole file per batch of chunks).</p>
      <div class="drop-actions">
        <label>n_ctx <input id="ppl-ctx" type="number" min="8" max="8192" value={ppl_ctx.value} onInput={int_input(ppl_ctx, 8, 8192)} /></label>
        <label>chunks <input id="ppl-chunks" type="number" min="1" max="100000" value={ppl_chunks.value} onInput={int_input(ppl_chunks, 1, 100000)} /></label>
        {has_ref && <label><input id="ppl-use-ref" type="checkbox" checked={ppl_use_ref.value}
                                  onChange={(e) => { ppl_use_ref.value = e.currentTarget.checked; }} /> with the reference (KLD, hidden cosines)</label>}
        <label title="Round activations as llama.cpp's CPU backend does (8-bit blocks, F16 K/V): faster, and its numbers match llama-perplexity's; unchecked, the exact f32 forward">
          <input id="ppl-ggml" type="checkbox" checked={ppl_ggml.value}
                 onChange={(e) => { ppl_ggml.value = e.currentTarget.checked; }} /> llama.cpp arithmetic (faster)</label>
        <button id="ppl-run" type="button" class="button" disabled={busy.value} onClick={run_ppl}>Run perplexity</button>
        <Threads t={engine_threads.value} />
        {run?.state === 'cancelled' && <span class="dim">cancelled</span>}
      </div>
      {p && (
        <Progress id="ppl-progress" fraction={p.fraction}>
          {p.n_layers ? <>layer {Math.min(p.layer + 1, p.n_layers)}/{p.n_layers}{p.layer >= p.n_layers ? ' (head)' : ''}, batch {p.batch + 1}/{p.n_batches}</> : 'starting'}
          {' · '}{p.tps == null ? '—' : `${p.tps.toFixed(0)} tokens/s`} · ETA {format_secs(p.eta)}
        </Progress>
      )}
      {run?.state === 'failed' && <p class="status error" id="ppl-error">{run.error}</p>}
      {run?.state === 'done' && <Result d={run.data} />}
      <p class="attribution dim" id="text-attribution">The built-in text is the start of WikiText-2 (raw, test split) by
        Merity et al. (2016), derived from Wikipedia, licensed <a href="https://creativecommons.org/licenses/by-sa/3.0/" rel="license noreferrer">CC BY-SA 3.0</a>.</p>
    </section>
  );
}
