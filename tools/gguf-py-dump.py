#!/usr/bin/env python3
"""Writes what llama.cpp's gguf-py reports for each GGUF fixture, as the
oracle for tests/native/test-gguf.cpp (an independent reader).

Usage: PYTHONPATH=<llama.cpp>/gguf-py /usr/bin/python3 tools/gguf-py-dump.py OUT_DIR FILE.gguf...
(gguf-py ships in llama.cpp's source, e.g. inside the npm package
node-llama-cpp@3.21.1 as llama/gitRelease.bundle; it needs numpy.)
Arrays longer than 32 items keep their length and first 8 items, as
`ggufcheck inspect --json` summarizes them.
"""
import json
import os
import sys

import numpy as np
from gguf import GGUFReader, GGUFValueType

INLINE_MAX, PREVIEW = 32, 8


def scalar(field, idx):
    t = field.types[-1] if field.types else None
    part = field.parts[idx]
    if t == GGUFValueType.STRING:
        return bytes(part).decode("utf-8", errors="replace")
    v = part.tolist()[0]
    if t == GGUFValueType.BOOL:
        return bool(v)
    if t in (GGUFValueType.FLOAT32, GGUFValueType.FLOAT64):
        return float(v)
    return int(v)


def value(field):
    if field.types[0] != GGUFValueType.ARRAY:
        return scalar(field, field.data[0])
    if len(field.types) > 2:
        return {"nested": True}
    items = [scalar(field, i) for i in field.data[: (len(field.data) if len(field.data) <= INLINE_MAX else PREVIEW)]]
    if len(field.data) <= INLINE_MAX:
        return items
    return {"array_length": len(field.data), "first": items}


def main():
    out_dir, files = sys.argv[1], sys.argv[2:]
    for path in files:
        r = GGUFReader(path)
        meta = {}
        for name, field in r.fields.items():
            if name.startswith("GGUF."):
                continue
            meta[name] = value(field)
        tensors = [
            {
                "name": t.name,
                "type": t.tensor_type.name,
                "shape": [int(x) for x in t.shape],
                "offset": int(t.data_offset - r.data_offset),
                "nbytes": int(t.n_bytes),
            }
            for t in r.tensors
        ]
        doc = {
            "file": os.path.basename(path),
            "file_size": os.path.getsize(path),
            "version": int(r.fields["GGUF.version"].parts[-1][0]),
            "alignment": int(r.alignment),
            "tensor_data_offset": int(r.data_offset),
            "n_kv": len(meta),
            "n_tensors": len(tensors),
            "metadata": meta,
            "tensors": tensors,
        }
        with open(os.path.join(out_dir, os.path.basename(path) + ".gguf-py.json"), "w") as f:
            json.dump(doc, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
