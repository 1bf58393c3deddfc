// The findings list, errors first. Every finding is data from the core; the
// CLI prints the same list.
import { findings_sorted, format_int } from '../report-view.js';

export function Findings({ report }) {
  const list = findings_sorted(report);
  return (
    <section id="findings" class="card">
      <h2>Findings</h2>
      {list.length === 0 ? (
        <p class="ok" id="no-findings">No problems found.</p>
      ) : (
        <ul class="findings">
          {list.map((f, i) => (
            <li key={i} class={`finding ${f.severity}`} data-code={f.code} data-severity={f.severity}>
              <span class={`badge ${f.severity}`}>{f.severity}</span>
              <code class="code">{f.code}</code>
              <span class="message">{f.message}</span>
              {(f.file || f.tensor || f.offset != null) && (
                <span class="where">
                  {f.file && <span>file {f.file}</span>}
                  {f.tensor && <span>tensor <code>{f.tensor}</code></span>}
                  {f.offset != null && <span>offset {format_int(f.offset)}</span>}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
