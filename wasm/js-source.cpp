// byte_source over a synchronous JS reader (see js-source.h for the contract).
#include "js-source.h"

#include <cmath>

namespace gc {

namespace {

// Largest integer a JS number holds exactly; no File is that large.
constexpr double JS_MAX_SAFE_INTEGER = 9007199254740991.0;

class js_byte_source final : public byte_source {
public:
    js_byte_source(emscripten::val reader, std::string name, uint64_t size)
        : reader_(std::move(reader)), name_(std::move(name)), size_(size),
          has_will_read_(reader_["will_read"].typeOf().as<std::string>() == "function") {}

    uint64_t size() const override { return size_; }
    const std::string & name() const override { return name_; }
    uint64_t bytes_fetched() const override { return fetched_; }

    void will_read(uint64_t offset, uint64_t len) override {
        if (has_will_read_ && byte_range_ok(size_, offset, len)) {
            reader_.call<void>("will_read", static_cast<double>(offset), static_cast<double>(len));
        }
    }

    bool read(uint64_t offset, void * dst, size_t len) override {
        if (!byte_range_ok(size_, offset, len)) {
            return false;
        }
        if (len == 0) {
            return true;
        }
        // A Uint8Array over [dst, dst+len) of the wasm heap: JS writes the
        // bytes straight into place, no intermediate copy on this side.
        emscripten::val view(emscripten::typed_memory_view(len, static_cast<uint8_t *>(dst)));
        const bool ok = reader_.call<bool>("read", static_cast<double>(offset), view);
        if (ok) {
            fetched_ += len;
        }
        return ok;
    }

private:
    emscripten::val reader_;
    std::string name_;
    uint64_t size_;
    bool has_will_read_;
    uint64_t fetched_ = 0;
};

} // namespace

std::unique_ptr<byte_source> byte_source_from_js(emscripten::val reader, std::string * error) {
    if (!reader.isUndefined() && !reader.isNull() && reader["read"].typeOf().as<std::string>() == "function") {
        const emscripten::val size_val = reader["size"];
        const double size = size_val.typeOf().as<std::string>() == "number" ? size_val.as<double>() : -1.0;
        if (!(size >= 0.0 && size <= JS_MAX_SAFE_INTEGER && std::floor(size) == size)) {
            if (error) *error = "reader.size is not a non-negative integer";
            return nullptr;
        }
        const emscripten::val name_val = reader["name"];
        std::string name = name_val.typeOf().as<std::string>() == "string" ? name_val.as<std::string>() : "(unnamed)";
        return std::make_unique<js_byte_source>(std::move(reader), std::move(name), static_cast<uint64_t>(size));
    }
    if (error) *error = "reader has no read(offset, dst) function";
    return nullptr;
}

} // namespace gc
