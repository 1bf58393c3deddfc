#include "open-files.h"

#include <algorithm>
#include <filesystem>

#include "format/safetensors.h"

bool open_paths(const std::vector<std::string> & paths, gc::file_set & out, std::string * error) {
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    for (const auto & p : paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<std::string> inside;
            for (const auto & e : fs::directory_iterator(p, ec)) {
                if (e.is_regular_file() && gc::hf_is_reference_file(e.path().filename().string())) inside.push_back(e.path().string());
            }
            std::sort(inside.begin(), inside.end());
            if (inside.empty()) {
                if (error) *error = p + ": folder holds no config.json or *.safetensors";
                return false;
            }
            files.insert(files.end(), inside.begin(), inside.end());
        } else {
            files.push_back(p);
        }
    }
    for (const auto & f : files) {
        auto src = gc::byte_source_open_file(f, error);
        if (!src) return false;
        out.push_back(gc::byte_source_read_ahead(std::move(src)));
    }
    return true;
}
