// Export: the Markdown report (built in the core from the same JSON the page
// shows) and the full JSON, as downloads through Blob object URLs (same
// origin: allowed by the CSP, nothing is requested).
import { compare_run, full_json, make_markdown, ppl_run, result } from '../state.js';
import { useState } from 'preact/hooks';

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function stem() {
  const f = result.value?.files?.[0]?.name ?? 'model';
  return f.replace(/\.gguf$/i, '');
}

export function Export() {
  const [error, set_error] = useState(null);   // visual only
  const has_any = compare_run.value?.state === 'done' || ppl_run.value?.state === 'done';
  const md = async () => {
    try {
      set_error(null);
      download(`${stem()}-ggufcheck.md`, await make_markdown(), 'text/markdown');
    } catch (e) {
      set_error(e.message);
    }
  };
  return (
    <section id="export" class="card">
      <h2>Export</h2>
      <div class="drop-actions">
        <button id="export-md" type="button" class="button" onClick={md}>Markdown report</button>
        <button id="export-json" type="button" class="button secondary"
                onClick={() => download(`${stem()}-ggufcheck.json`, JSON.stringify(full_json(), null, 1), 'application/json')}>Full JSON</button>
        {!has_any && <span class="dim">run the weight check and/or perplexity first for a complete report</span>}
      </div>
      {error && <p class="status error">{error}</p>}
    </section>
  );
}
