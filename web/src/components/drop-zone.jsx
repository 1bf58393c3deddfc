// Where files come in: drag and drop (folders too: a Hugging Face checkpoint
// folder), a file or folder picker, or the built-in sample. Which file is
// the candidate, the reference or the text is decided by roles.js.
import { useState } from 'preact/hooks';
import { files_of_drop } from '../folder-drop.js';
import { open_files, open_sample } from '../state.js';

export function DropZone() {
  const [over, set_over] = useState(false);   // visual only: highlight while dragging
  const on_drop = (e) => {
    e.preventDefault();
    set_over(false);
    files_of_drop(e.dataTransfer).then(open_files);
  };
  const on_pick = (e) => {
    open_files(e.currentTarget.files);   // copies the list before the reset below
    e.currentTarget.value = '';          // picking the same file again fires change again
  };
  return (
    <section
      id="drop-zone"
      class={over ? 'drop-zone over' : 'drop-zone'}
      onDragOver={(e) => { e.preventDefault(); set_over(true); }}
      onDragLeave={() => set_over(false)}
      onDrop={on_drop}
    >
      <p class="drop-title">Drop a GGUF file here</p>
      <p class="drop-sub">or all parts of a split model (<code>*-00001-of-0000N.gguf</code>) at once — plus, optionally, its
        reference (the original Hugging Face folder or files: <code>config.json</code> + <code>*.safetensors</code>, or a
        second GGUF at F16/BF16/Q8_0) and a text for the perplexity run</p>
      <div class="drop-actions">
        <label class="button">
          Choose files…
          <input id="file-input" type="file" multiple onChange={on_pick} />
        </label>
        <label class="button secondary">
          Choose a folder…
          <input id="folder-input" type="file" webkitdirectory multiple onChange={on_pick} />
        </label>
        <button id="sample-button" type="button" class="button secondary" onClick={open_sample}>
          Try the sample model
        </button>
      </div>
      <p class="drop-note">Opening reads only the header (a few MB at most), inside this page; the checks below read more when you start them. Nothing is uploaded.</p>
    </section>
  );
}
