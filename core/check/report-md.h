// The Markdown report, ready to paste into an issue tracker. Built from the
// same JSON objects the CLI prints and the page renders (inspect, compare or
// the reference-free check, ppl), so every number in it is one of theirs.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gc {

struct report_file {
    std::string role;      // "candidate", "reference", "text"
    std::string name;
    uint64_t size = 0;
    std::string sha256;    // empty when not computed
};

struct report_inputs {
    std::vector<report_file> files;
    nlohmann::json inspect;     // inspect_report(); null if absent
    nlohmann::json weights;     // compare_to_json() or self_check_to_json(); null if absent
    nlohmann::json ppl;         // ppl JSON; null if absent
    std::string tool = "ggufcheck";
};

std::string report_markdown(const report_inputs & in);

} // namespace gc
