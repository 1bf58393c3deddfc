// Entry point of the page bundle (dist/app.js).
import { render } from 'preact';
import { App } from './components/app.jsx';
import { start_worker } from './state.js';

start_worker();
render(<App />, document.getElementById('app'));
