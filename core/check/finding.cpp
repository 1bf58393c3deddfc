#include "check/finding.h"

namespace gc {

const char * severity_name(severity s) {
    switch (s) {
        case severity::info: return "info";
        case severity::warning: return "warning";
        case severity::error: return "error";
    }
    return "error";
}

bool findings_have_errors(const finding_list & list) {
    for (const auto & f : list) {
        if (f.level == severity::error) return true;
    }
    return false;
}

} // namespace gc
