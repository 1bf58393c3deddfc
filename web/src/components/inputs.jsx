// Which file plays which part (roles.js): candidate, reference, text; with
// a swap button when both sides are GGUF, and a folder picker for a Hugging
// Face checkpoint.
import { drop_reference, open_files, reference, result, roles, swap_roles, swappable, text_input, use_sample_text } from '../state.js';
import { SAMPLE_TEXT } from '../protocol.js';
import { format_bytes } from '../report-view.js';

function Names({ files }) {
  return files.map((f, i) => <span key={i} class="file-name">{f.name} <span class="dim">({format_bytes(f.size)})</span></span>);
}

export function Inputs() {
  const r = result.value;
  const ref = reference.value;
  const cand = r?.files ?? [];
  const refs = r?.ref_files ?? [];
  const t = text_input.value;
  return (
    <section id="inputs" class="card">
      <h2>Inputs</h2>
      <dl class="summary">
        <dt>candidate</dt>
        <dd id="role-candidate"><Names files={cand} /></dd>
        <dt>reference</dt>
        <dd id="role-reference" data-open={ref?.open ? 'true' : 'false'}>
          {refs.length > 0 ? <Names files={refs} /> : <span class="dim">none — the weight check then looks at the weights alone</span>}
          {ref?.description && <div class="dim" id="reference-description">{ref.description}</div>}
          {ref?.error && <div class="error">{ref.error}</div>}
          {(ref?.findings ?? []).map((f, i) => <div key={i} class={`finding-line ${f.severity}`}>[{f.severity}] {f.message}</div>)}
          <div class="role-actions">
            {swappable.value && <button id="swap-roles" type="button" class="button small secondary" onClick={swap_roles}>swap candidate ↔ reference</button>}
            {refs.length > 0 && <button type="button" class="button small secondary" onClick={drop_reference}>no reference</button>}
            {roles.value.candidate.length > 0 && (
              <label class="button small secondary">
                add reference folder…
                <input id="ref-folder-input" type="file" webkitdirectory multiple onChange={(e) => { open_files(e.currentTarget.files); e.currentTarget.value = ''; }} />
              </label>
            )}
          </div>
        </dd>
        <dt>text</dt>
        <dd id="role-text">
          {t ? <>{t.file.name} <span class="dim">({t.as === 'tokens' ? 'token ids' : 'text'}, {format_bytes(t.file.size)})</span>{' '}
            <button type="button" class="link" onClick={use_sample_text}>use the built-in excerpt</button></>
            : <span>{SAMPLE_TEXT.name} <span class="dim">(built in; drop a .txt or a token-id file to use your own)</span></span>}
        </dd>
      </dl>
    </section>
  );
}
