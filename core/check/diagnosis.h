// Diagnosis of a weight comparison: findings that explain themselves.
//   - damaged tensors and layers, in words;
//   - provenance: conversion copies F32 1-D tensors (norms, scalars) exactly,
//     so when most of them differ slightly the reference is another checkpoint
//     (statuses of those tensors are relaxed); when only a few differ while
//     the rest are bit-identical, those few are damaged;
//   - a damaged tensor class (e.g. every layer_output_scale) while the
//     matrices are fine;
//   - periodic damage across layers (group layers by L mod p, report the p
//     that separates damaged from healthy layers best);
//   - layer swaps: a damaged layer's tensors that match a neighbouring
//     reference layer.
#pragma once

#include "check/compare.h"

namespace gc {

// Adds findings to `rep` and may adjust tensor statuses (provenance). Reads
// a few tensors again for the layer-swap test.
void diagnose(compare_report & rep, weight_source & cand, weight_source & ref, const compare_options & opt);

// The period p in [2, max_period] whose residue classes best separate
// flagged from unflagged layers: returns {p, residue} when the flagged
// layers are (nearly) exactly one residue class with at least 2 members,
// else {0, 0}. flagged[L] says whether layer L is damaged/suspicious.
std::pair<int, int> find_period(const std::vector<bool> & flagged, int max_period = 12);

} // namespace gc
