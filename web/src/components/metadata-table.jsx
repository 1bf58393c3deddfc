// The metadata (key/value) table: filterable; arrays longer than the
// report's inline limit are collapsed to their type and length and expand to
// the first items the report carries.
import { expanded_keys, meta_filter, metadata, report, toggle_key } from '../state.js';
import { format_int, value_text } from '../report-view.js';

function LongArray({ k, v }) {
  const open = expanded_keys.value.has(k);
  return (
    <>
      <button type="button" class="link" aria-expanded={open} onClick={() => toggle_key(k)}>
        {v.elem_type}[{format_int(v.array_length)}] {open ? '▾' : '▸'}
      </button>
      {open && (
        <ol class="array-items" start="0">
          {v.first.map((x, i) => <li key={i}>{typeof x === 'string' ? JSON.stringify(x) : value_text(x)}</li>)}
          {v.array_length > v.first.length && <li class="dim">… {format_int(v.array_length - v.first.length)} more</li>}
        </ol>
      )}
    </>
  );
}

// Strings longer than this (chat templates, licences) are cut until expanded.
const LONG_STRING = 240;

function LongString({ k, v }) {
  const open = expanded_keys.value.has(k);
  return (
    <>
      {open ? <pre class="long-string">{v}</pre> : `${v.slice(0, LONG_STRING)}…`}{' '}
      <button type="button" class="link" aria-expanded={open} onClick={() => toggle_key(k)}>
        {open ? 'less' : `all ${format_int(v.length)} characters`}
      </button>
    </>
  );
}

function Value({ k, v, long }) {
  if (long) return <LongArray k={k} v={v} />;
  if (typeof v === 'string' && v.length > LONG_STRING) return <LongString k={k} v={v} />;
  return value_text(v);
}

export function MetadataTable() {
  const rows = metadata.value;
  const total = Object.keys(report.value.metadata ?? {}).length;
  return (
    <section id="metadata" class="card">
      <h2>Metadata <span class="dim">({rows.length} of {total})</span></h2>
      <input id="meta-filter" type="search" placeholder="filter keys and values" value={meta_filter.value}
             onInput={(e) => { meta_filter.value = e.currentTarget.value; }} />
      <table class="kv">
        <thead><tr><th>key</th><th>type</th><th>value</th></tr></thead>
        <tbody>
          {rows.map(({ key, value, long, kind }) => (
            <tr key={key} data-key={key}>
              <td><code>{key}</code></td>
              <td class="dim">{kind}</td>
              <td class="value"><Value k={key} v={value} long={long} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
