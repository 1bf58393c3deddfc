// Pure functions from the inspect report (the JSON of `ggufcheck inspect
// --json`, see core/check/inspect.h) to what the components display. No
// format knowledge lives here: every number comes from the report; this only
// sorts, filters, groups and formats.

// Byte sizes in binary units, as the CLI prints them (core/check/integrity.cpp).
export function format_bytes(n) {
  if (n == null) return '—';
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

// Parameter counts: 292.6K, 7.24B.
export function format_count(n) {
  if (n == null) return '—';
  if (n < 1e3) return String(n);
  if (n < 1e6) return `${(n / 1e3).toFixed(1)}K`;
  if (n < 1e9) return `${(n / 1e6).toFixed(2)}M`;
  return `${(n / 1e9).toFixed(2)}B`;
}

export const format_int = (n) => (n == null ? '—' : n.toLocaleString('en-US'));

export function summary_of(r) {
  const findings = r.findings ?? [];
  const count = (sev) => findings.filter((f) => f.severity === sev).length;
  const summary = {
    usable: r.usable !== false,
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
  };
  if (!summary.usable) return summary;
  let tensor_bytes = 0;
  for (const c of Object.values(r.type_census ?? {})) tensor_bytes += c.bytes;
  return {
    ...summary,
    architecture: r.architecture || '(none)',
    name: r.name,
    version: r.version,
    file_type: r.file_type ?? null,
    file_size: r.file_size,
    n_params: r.n_params,
    n_tensors: r.n_tensors,
    n_kv: r.n_kv,
    alignment: r.alignment,
    tensor_data_offset: r.tensor_data_offset,
    tensor_bytes,
    // Average bits per weight over all tensors (bytes of tensor data / params).
    bpw: r.n_params > 0 ? (tensor_bytes * 8) / r.n_params : null,
    files: r.files ?? null,
  };
}

// One row per ggml type: the census of the report plus each type's share of
// the parameters and of the bytes; largest share first.
export function census_rows(r) {
  const rows = Object.entries(r.type_census ?? {}).map(([type, c]) => ({
    type,
    tensors: c.tensors,
    params: c.params,
    bytes: c.bytes,
    bpw: c.bpw,
    param_share: r.n_params > 0 ? c.params / r.n_params : 0,
  }));
  const total_bytes = rows.reduce((n, x) => n + x.bytes, 0);
  for (const x of rows) x.byte_share = total_bytes > 0 ? x.bytes / total_bytes : 0;
  return rows.sort((a, b) => b.params - a.params || a.type.localeCompare(b.type));
}

// A metadata value as shown in a cell. Arrays longer than the report's
// inline limit arrive summarized as {array_length, elem_type, first}.
export function is_long_array(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'array_length' in v;
}

export function value_text(v) {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? JSON.stringify(x) : value_text(x))).join(', ')}]`;
  if (is_long_array(v)) return `${v.elem_type}[${format_int(v.array_length)}]`;
  return String(v);
}

export function value_kind(v) {
  if (is_long_array(v)) return `${v.elem_type.toLowerCase()}[${v.array_length}]`;
  if (Array.isArray(v)) return `array[${v.length}]`;
  if (v === null) return 'null';
  return typeof v;
}

// Rows of the metadata table, in file order, filtered by a case-insensitive
// substring of the key or of the displayed value (for long arrays: of their
// first items).
export function metadata_rows(r, filter) {
  const f = filter.trim().toLowerCase();
  const rows = [];
  for (const [key, value] of Object.entries(r.metadata ?? {})) {
    const long = is_long_array(value);
    const text = long ? value.first.map(value_text).join(' ') : value_text(value);
    if (f && !key.toLowerCase().includes(f) && !text.toLowerCase().includes(f)) continue;
    rows.push({ key, value, long, kind: value_kind(value) });
  }
  return rows;
}

// "blk.12.attn_q.weight" -> 12; tensors outside a layer -> null.
export function layer_of(name) {
  const m = /^blk\.(\d+)\./.exec(name);
  return m ? Number(m[1]) : null;
}

const n_elements = (shape) => shape.reduce((n, d) => n * d, 1);

const SORT_KEYS = {
  name: (t) => t.name,
  type: (t) => t.type,
  params: (t) => t.params,
  nbytes: (t) => t.nbytes ?? -1,
  offset: (t) => t.offset,
};
export const TENSOR_SORT_KEYS = Object.keys(SORT_KEYS);

// Tensors grouped by layer (tensors outside layers first, then layer 0, 1,
// ...), each group sorted by `sort` = {key, dir}, filtered by a
// case-insensitive substring of the name or the type name.
export function tensor_groups(r, filter, sort) {
  const f = filter.trim().toLowerCase();
  const get = SORT_KEYS[sort.key] ?? SORT_KEYS.offset;
  const cmp = (a, b) => {
    const x = get(a), y = get(b);
    const c = typeof x === 'string' ? x.localeCompare(y) : x - y;
    return c * sort.dir || a.index - b.index;
  };
  const groups = new Map();
  (r.tensors ?? []).forEach((t, index) => {
    if (f && !t.name.toLowerCase().includes(f) && !t.type.toLowerCase().includes(f)) return;
    const layer = layer_of(t.name);
    if (!groups.has(layer)) groups.set(layer, []);
    groups.get(layer).push({ ...t, index, params: n_elements(t.shape) });
  });
  return [...groups.entries()]
    .sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : a - b))
    .map(([layer, list]) => ({
      layer,
      label: layer === null ? 'not in a layer' : `layer ${layer}`,
      tensors: list.sort(cmp),
      params: list.reduce((n, t) => n + t.params, 0),
      bytes: list.reduce((n, t) => n + (t.nbytes ?? 0), 0),
    }));
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };
export function findings_sorted(r) {
  return [...(r.findings ?? [])].sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3));
}
