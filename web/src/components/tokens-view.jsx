// The model's own tokenization of the first lines of the text (core
// tokenizer through the worker).
import { busy, tokenize_text, tokens_view } from '../state.js';

export function TokensView() {
  const run = tokens_view.value;
  const d = run?.state === 'done' ? run.data : null;
  return (
    <section id="tokens" class="card">
      <h2>Tokenization</h2>
      <div class="drop-actions">
        <button id="tokenize" type="button" class="button secondary" disabled={busy.value} onClick={tokenize_text}>Tokenize the first lines</button>
        {d?.tokenizer && <span class="dim">{d.tokenizer.model ?? ''} {d.tokenizer.pre ? `(${d.tokenizer.pre})` : ''}</span>}
      </div>
      {run?.state === 'failed' && <p class="status error">{run.error}</p>}
      {d && (d.findings ?? []).map((f, i) => <p key={i} class={`finding ${f.severity}`}>[{f.severity}] {f.message}</p>)}
      {d && (
        <>
          <p class="dim" id="token-count" data-count={d.ids.length}>{d.ids.length} tokens in {d.lines.length} lines</p>
          <div class="token-list">
            {d.ids.map((id, i) => (
              <span key={i} class="token" title={`id ${id}`}>{(d.pieces?.[i] ?? '').replace(/\n/g, '↵').replace(/\r/g, '␍')}<sub>{id}</sub></span>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
