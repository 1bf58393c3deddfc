// Findings: everything the checker has to say about its inputs, as data.
// The CLI, the page and the Markdown report all render the same list.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gc {

enum class severity { info, warning, error };

const char * severity_name(severity s);

struct finding {
    severity level = severity::info;
    std::string code;                 // stable identifier, e.g. "truncated", "unknown_type"
    std::string message;              // what is wrong, where, and what to do
    std::string file;                 // file name, when the finding is about one file
    std::string tensor;               // tensor name, when about one tensor
    std::optional<uint64_t> offset;   // byte offset in the file, when known
};

using finding_list = std::vector<finding>;

bool findings_have_errors(const finding_list & list);

} // namespace gc
