// Test helper: run the ggufcheck CLI built with the tests (GC_CLI) and
// capture its stdout and exit code.
#pragma once

#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace gc_test {

// Runs `ggufcheck <args>` (args are passed to the shell as written; stderr
// is discarded). *rc receives the exit code, -1 if the process did not exit.
inline std::string run_cli(const std::string & args, int * rc = nullptr) {
    const std::string cmd = std::string(GC_CLI) + " " + args + " 2>/dev/null";
    FILE * p = popen(cmd.c_str(), "r");
    std::string out;
    if (!p) {
        if (rc) *rc = -1;
        return out;
    }
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int status = pclose(p);
    if (rc) *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

} // namespace gc_test
