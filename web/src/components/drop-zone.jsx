// Where files come in: drag and drop, a file picker, or the built-in sample.
import { useState } from 'preact/hooks';
import { open_files, open_sample } from '../state.js';

export function DropZone() {
  const [over, set_over] = useState(false);   // visual only: highlight while dragging
  const on_drop = (e) => {
    e.preventDefault();
    set_over(false);
    open_files(e.dataTransfer?.files);
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
      <p class="drop-sub">or all parts of a split model (<code>*-00001-of-0000N.gguf</code>) at once</p>
      <div class="drop-actions">
        <label class="button">
          Choose files…
          <input id="file-input" type="file" multiple onChange={on_pick} />
        </label>
        <button id="sample-button" type="button" class="button secondary" onClick={open_sample}>
          Try the sample model
        </button>
      </div>
      <p class="drop-note">Only the header is read (a few MB at most), inside this page. Nothing is uploaded.</p>
    </section>
  );
}
