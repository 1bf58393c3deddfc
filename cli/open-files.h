// Opening the CLI's file arguments as byte sources. A folder stands for
// the Hugging Face files in it (config.json, *.safetensors, *.index.json).
#pragma once

#include <string>
#include <vector>

#include "io/byte-source.h"

// Appends one source per file (folders expanded, sorted by name) to `out`.
// False with *error naming the path when one cannot be opened.
bool open_paths(const std::vector<std::string> & paths, gc::file_set & out, std::string * error);
