// The tensor table: grouped by layer, sortable by column, filterable by name
// or type.
import { sort_tensors_by, tensor_filter, tensor_sort, tensors, report } from '../state.js';
import { format_bytes, format_int } from '../report-view.js';

const COLUMNS = [
  { key: 'name', label: 'name' },
  { key: 'type', label: 'type' },
  { key: null, label: 'shape (ne0, ne1, …)' },
  { key: 'params', label: 'parameters', num: true },
  { key: 'nbytes', label: 'size', num: true },
  { key: 'offset', label: 'offset', num: true },
];

function Header() {
  const s = tensor_sort.value;
  return (
    <tr>
      {COLUMNS.map((c) => {
        const active = c.key && s.key === c.key;
        return (
          <th key={c.label} class={c.num ? 'num' : ''}
              aria-sort={active ? (s.dir > 0 ? 'ascending' : 'descending') : undefined}>
            {c.key ? (
              <button type="button" class="link" data-sort={c.key} onClick={() => sort_tensors_by(c.key)}>
                {c.label}{active ? (s.dir > 0 ? ' ▲' : ' ▼') : ''}
              </button>
            ) : c.label}
          </th>
        );
      })}
    </tr>
  );
}

export function TensorTable() {
  const groups = tensors.value;
  const shown = groups.reduce((n, g) => n + g.tensors.length, 0);
  return (
    <section id="tensors" class="card">
      <h2>Tensors <span class="dim">({shown} of {report.value.tensors.length})</span></h2>
      <input id="tensor-filter" type="search" placeholder="filter by name or type" value={tensor_filter.value}
             onInput={(e) => { tensor_filter.value = e.currentTarget.value; }} />
      <table class="tensors">
        <thead><Header /></thead>
        {groups.map((g) => (
          <tbody key={g.label} data-layer={g.layer ?? 'none'}>
            <tr class="group">
              <th colSpan={3}>{g.label} <span class="dim">({g.tensors.length})</span></th>
              <th class="num">{format_int(g.params)}</th>
              <th class="num">{format_bytes(g.bytes)}</th>
              <th />
            </tr>
            {g.tensors.map((t) => (
              <tr key={t.name + t.index} class="tensor" data-name={t.name} data-offset={t.offset} data-nbytes={t.nbytes ?? ''}>
                <td><code>{t.name}</code></td>
                <td><code>{t.type}</code></td>
                <td>{t.shape.join(' × ')}</td>
                <td class="num">{format_int(t.params)}</td>
                <td class="num">{t.nbytes == null ? '—' : format_bytes(t.nbytes)}</td>
                <td class="num">{format_int(t.offset)}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </section>
  );
}
