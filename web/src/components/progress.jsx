// A progress bar with a line of numbers and a cancel button.
import { cancel_runs } from '../state.js';

export function Progress({ id, fraction, children }) {
  return (
    <div id={id} class="progress" data-fraction={fraction.toFixed(3)}>
      <div class="progress-track"><div class="progress-fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} /></div>
      <span class="progress-text">{children}</span>
      <button type="button" class="button small secondary cancel" onClick={cancel_runs}>cancel</button>
    </div>
  );
}
