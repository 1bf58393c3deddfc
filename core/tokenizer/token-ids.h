// Token-id files: an alternative to text wherever text is accepted (for a
// model whose tokenizer is not supported, or to feed exactly the ids another
// tool used).
//
// Accepted forms:
//   text   a JSON array of integers ("[1, 450, 4996]"), or integers separated
//          by white space, typically one per line; '#' starts a comment line.
//   binary int32 little-endian, 4 bytes per id (llama.cpp-style .i32 dumps).
// Every id must be >= 0 and fit in int32; token_ids_check() then compares
// them with a vocabulary size.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gc {

// Parses the text forms. On failure returns false and sets *error to a
// message naming the line and what was found.
bool token_ids_parse_text(std::string_view text, std::vector<int32_t> & out, std::string * error);

// Parses int32 LE. Fails when the size is not a multiple of 4 or an id is negative.
bool token_ids_parse_i32(std::string_view bytes, std::vector<int32_t> & out, std::string * error);

// Picks the form from the file name: ".i32" is binary, everything else text.
bool token_ids_parse(std::string_view name, std::string_view bytes, std::vector<int32_t> & out, std::string * error);

// True when a file name says "token ids" (.ids, .i32, or .json) rather than text.
bool token_ids_file_name(std::string_view name);

// Index of the first id >= n_vocab, or -1 when all are in range.
int64_t token_ids_check(const std::vector<int32_t> & ids, size_t n_vocab);

} // namespace gc
