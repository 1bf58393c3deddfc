// Model summary and the quant census (one bar per ggml type).
import { census, summary } from '../state.js';
import { format_bytes, format_count, format_int } from '../report-view.js';

function Row({ label, children, id }) {
  return (
    <>
      <dt>{label}</dt>
      <dd id={id}>{children}</dd>
    </>
  );
}

export function Summary() {
  const s = summary.value;
  return (
    <section id="summary" class="card" data-architecture={s.architecture} data-n-tensors={s.n_tensors}
             data-n-params={s.n_params} data-tensor-data-offset={s.tensor_data_offset} data-file-size={s.file_size}>
      <h2>Model</h2>
      <dl class="summary">
        <Row label="architecture" id="sum-architecture">{s.architecture}</Row>
        {s.name && <Row label="name">{s.name}</Row>}
        <Row label="parameters" id="sum-params">{format_count(s.n_params)} <span class="dim">({format_int(s.n_params)})</span></Row>
        <Row label="file type" id="sum-file-type">{s.file_type ?? <span class="dim">not stated</span>}</Row>
        <Row label="size">{format_bytes(s.file_size)} <span class="dim">({format_int(s.file_size)} bytes)</span></Row>
        <Row label="bits per weight">{s.bpw == null ? '—' : s.bpw.toFixed(2)} <span class="dim">average over all tensors</span></Row>
        <Row label="tensors" id="sum-tensors">{format_int(s.n_tensors)}</Row>
        <Row label="metadata keys">{format_int(s.n_kv)}</Row>
        <Row label="GGUF">version {s.version}, alignment {s.alignment}, tensor data at {format_int(s.tensor_data_offset)}</Row>
        {s.files && <Row label="files">{s.files.length} parts: {s.files.map((f) => f.name).join(', ')}</Row>}
      </dl>
      <h3>Types</h3>
      <table id="census" class="census">
        <thead>
          <tr><th>type</th><th class="num">tensors</th><th class="num">parameters</th><th class="num">size</th><th class="num">bits/weight</th><th>share of parameters</th></tr>
        </thead>
        <tbody>
          {census.value.map((c) => (
            <tr key={c.type} data-type={c.type}>
              <td><code>{c.type}</code></td>
              <td class="num">{format_int(c.tensors)}</td>
              <td class="num">{format_int(c.params)}</td>
              <td class="num">{format_bytes(c.bytes)}</td>
              <td class="num">{c.bpw == null ? '—' : c.bpw.toFixed(2)}</td>
              <td class="bar-cell">
                <span class="bar" style={{ width: `${(c.param_share * 100).toFixed(2)}%` }} />
                <span class="bar-label">{(c.param_share * 100).toFixed(1)}%</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
