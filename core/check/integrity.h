// Integrity checks of a loaded GGUF model: findings about the file itself,
// before any weight is read. Called by gguf_load.
#pragma once

#include "format/gguf.h"

namespace gc {

// Appends findings to model.findings: truncation (with the missing byte
// count and the affected tensors), misaligned and overlapping tensor data,
// sizes inconsistent with type and shape, rows not divisible by the block
// size, unknown/fork/retired type ids, duplicate names, split-set problems,
// metadata that disagrees with the tensors.
void integrity_check(gguf_model & model);

// "1.5 MB", "312 MB", "7.21 GB": sizes in the words of findings.
std::string format_bytes(uint64_t n);

} // namespace gc
