// Files out of a drop that may hold folders (a Hugging Face checkpoint
// folder): DataTransferItem.webkitGetAsEntry walks the tree. Only File
// handles are collected; no bytes are read here (that is the worker's job).
// Each File keeps its name; the folder path is not needed by any role.

function read_entries(reader) {
  return new Promise((ok, fail) => reader.readEntries(ok, fail));
}

async function walk(entry, out, depth) {
  if (!entry || depth > 8) return;
  if (entry.isFile) {
    out.push(await new Promise((ok, fail) => entry.file(ok, fail)));
    return;
  }
  if (entry.isDirectory) {
    const reader = entry.createReader();
    // readEntries returns the entries in batches until an empty one.
    for (;;) {
      const batch = await read_entries(reader);
      if (batch.length === 0) break;
      for (const e of batch) await walk(e, out, depth + 1);
    }
  }
}

// All files of a drop, folders expanded. Falls back to dataTransfer.files
// where entries are not available.
export async function files_of_drop(dt) {
  if (!dt) return [];
  const items = Array.from(dt.items ?? []).filter((it) => it.kind === 'file');
  const entries = items.map((it) => (it.webkitGetAsEntry ? it.webkitGetAsEntry() : null));
  if (entries.length === 0 || entries.some((e) => !e)) return Array.from(dt.files ?? []);
  const out = [];
  for (const e of entries) await walk(e, out, 0);
  return out;
}
