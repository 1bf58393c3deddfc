// Entry point of the page bundle (dist/app.js).
import { render } from 'preact';
import { App } from './components/app.jsx';
import { files_of_drop } from './folder-drop.js';
import { open_files, start_worker } from './state.js';

start_worker();
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
