// Which dropped file plays which part: pure functions over {name, size}
// (File objects in the page, plain objects in tests).
//
//   candidate  the GGUF being checked: all parts of one split set
//   reference  the original Hugging Face files (config.json, *.safetensors,
//              *.index.json) or a second GGUF (usually F32/F16/BF16/Q8_0)
//   text       a text for the perplexity run and the tokenization view
//   tokens     a token-id file (.ids, .i32, or a JSON array of ids)
//   ignored    anything else a Hugging Face folder carries (tokenizer.json,
//              README.md, ...)
//
// Two GGUF sets: the smaller one is the candidate (quantized), the larger the
// reference; the user can swap them.

const SPLIT = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;
// Files of a Hugging Face checkpoint folder that are not weights or config.
const HF_OTHER = /^(tokenizer.*|special_tokens_map\.json|generation_config\.json|added_tokens\.json|vocab\.json|merges\.txt|README.*|LICENSE.*|\.gitattributes|.*\.md|.*\.model)$/i;

function base_name(name) {
  return name.split('/').pop();
}

export function split_base(name) {
  const m = SPLIT.exec(base_name(name));
  return m ? m[1] : base_name(name).replace(/\.gguf$/i, '');
}

export function file_kind(name) {
  const n = base_name(name).toLowerCase();
  if (n.endsWith('.gguf')) return 'gguf';
  if (n.endsWith('.safetensors') || n === 'config.json' || n.endsWith('.safetensors.index.json')) return 'hf';
  if (HF_OTHER.test(n)) return 'ignored';
  if (n.endsWith('.ids') || n.endsWith('.i32') || n.endsWith('.json')) return 'tokens';
  if (n.endsWith('.txt') || n.endsWith('.raw') || n.endsWith('.text')) return 'text';
  return 'other';
}

// Splits a drop into roles. `current` = { candidate: [], reference: [] }
// already open (a later drop of only HF files or only a text adds to it).
// Returns { candidate, reference, text, tokens, ignored } (arrays; text and
// tokens keep at most the first file) or null when the drop holds nothing
// that fits a role next to the current files.
export function assign_roles(files, current = { candidate: [], reference: [] }) {
  const by = { gguf: [], hf: [], text: [], tokens: [], ignored: [], other: [] };
  for (const f of files) by[file_kind(f.name)].push(f);
  const out = { candidate: current.candidate, reference: current.reference, text: [], tokens: [], ignored: by.ignored };

  if (by.gguf.length === 0 && by.hf.length === 0) {
    if (by.other.length > 0 || current.candidate.length === 0) {
      // Nothing model-like next to an open model, or nothing open: inspect
      // everything as a candidate (the report says what is wrong with it).
      return { ...out, candidate: files.filter((f) => file_kind(f.name) !== 'ignored'), reference: [], ignored: by.ignored };
    }
    out.text = by.text.slice(0, 1);
    out.tokens = by.tokens.slice(0, 1);
    return out;
  }
  // GGUF sets by split base, the smallest total size first.
  const sets = new Map();
  for (const f of by.gguf) {
    const b = split_base(f.name);
    if (!sets.has(b)) sets.set(b, []);
    sets.get(b).push(f);
  }
  const groups = [...sets.values()].sort((a, b) => total(a) - total(b));
  if (groups.length > 0) {
    out.candidate = groups[0];
    // A reference dropped before its candidate waits for it.
    const waiting = current.candidate.length === 0 ? current.reference : [];
    out.reference = by.hf.length > 0 ? by.hf : (groups[1] ?? waiting);
  } else {
    // Only HF files: they become the reference of the open candidate.
    out.reference = by.hf;
  }
  out.ignored = out.ignored.concat(by.other, groups.slice(by.hf.length > 0 ? 1 : 2).flat());
  out.text = by.text.slice(0, 1);
  out.tokens = by.tokens.slice(0, 1);
  return out;
}

// Swaps candidate and reference when both are GGUF sets.
export function can_swap(roles) {
  return roles.candidate.length > 0 && roles.reference.length > 0 &&
    roles.reference.every((f) => file_kind(f.name) === 'gguf');
}

function total(list) {
  return list.reduce((n, f) => n + f.size, 0);
}
