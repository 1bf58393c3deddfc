// Entry point of the page bundle (dist/app.js).
import { render } from 'preact';
import { App } from './components/app.jsx';
import { files_of_drop } from './folder-drop.js';
import { isolate_page } from './isolation.js';
import { open_files, start_worker } from './state.js';

// The worker chooses its wasm build by crossOriginIsolated, so it starts
// once the page is as isolated as it gets: at once where the server sends
// COOP/COEP, after a service worker added them and the page reloaded
// itself (when that happens, this load never starts one), or with the
// reason it cannot be isolated.
isolate_page().then(start_worker, (e) => start_worker(`isolation failed: ${e?.message ?? e}`));
// A file dropped anywhere on the page is opened here; without this the
// browser would navigate away to show the file. The drop zone handles its
// own drops (and marks them handled).
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => {
  if (e.defaultPrevented) return;
  e.preventDefault();
  files_of_drop(e.dataTransfer).then(open_files);
});
render(<App />, document.getElementById('app'));
