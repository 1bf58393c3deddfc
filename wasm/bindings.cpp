// Embind binding: the only file that exposes the core to JavaScript.
//
// No math and no format knowledge here: a session holds the user's files (as
// JS readers, see js-source.h) and the model loaded from them, and hands
// results back as the same JSON the native CLI prints, so the page and
// `ggufcheck inspect --json` show the same numbers for the same input.
//
// JS usage (web/src/worker/worker.js, tests/wasm/):
//   const s = new M.Session();
//   if (!s.open([reader, ...])) console.error(s.error());
//   const report = JSON.parse(s.inspectJson(0));
//   s.bytesFetched();   // bytes read from the files so far
//   const t = JSON.parse(s.tokenizeJson(text, addSpecial, parseSpecial));
//     // {tokenizer, findings, ids, pieces}, ids as `ggufcheck tokenize --json`
//   s.delete();
//
// Bad input never aborts: format problems become findings inside the JSON,
// and anything unexpected (an exception from the core) becomes error().
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <exception>
#include <string>

#include "check/inspect.h"
#include "tokenizer/tokenize-report.h"
#include "tokenizer/tokenizer.h"
#include "format/gguf.h"
#include "io/byte-source.h"
#include "js-source.h"

namespace {

// GGUF metadata is millions of tiny reads; each JS call costs far more than a
// memcpy, so they are served from a window (one FileReaderSync per window).
constexpr size_t READ_AHEAD_WINDOW = 4u << 20;

class wasm_session {
public:
    // Replaces the session's files with `readers` (a JS array of readers) and
    // loads them as one model (one GGUF, or the parts of a split set).
    // Returns false, with error() set, when a reader is malformed or the core
    // threw; a file that is not a valid GGUF still returns true, with the
    // problem reported as findings.
    bool open(emscripten::val readers) {
        close();
        try {
            const unsigned n = readers["length"].as<unsigned>();
            for (unsigned i = 0; i < n; ++i) {
                std::string err;
                auto src = gc::byte_source_from_js(readers[i], &err);
                if (!src) {
                    error_ = "file " + std::to_string(i) + ": " + err;
                    close_keep_error();
                    return false;
                }
                sources_.push_back(gc::byte_source_read_ahead(std::move(src), READ_AHEAD_WINDOW));
            }
            model_ = gc::gguf_load(sources_);
            loaded_ = true;
            return true;
        } catch (const std::exception & e) {
            error_ = std::string("internal error while loading: ") + e.what();
        } catch (...) {
            error_ = "internal error while loading";
        }
        close_keep_error();
        return false;
    }

    // The inspect report (core/check/inspect.h: the object `ggufcheck inspect
    // --json` prints), serialized with `indent` (-1: compact), or "" when
    // nothing is loaded.
    std::string inspect_json(int indent) {
        if (!loaded_) {
            error_ = "no model loaded";
            return "";
        }
        try {
            return gc::json_dump(gc::inspect_report(model_), indent);
        } catch (const std::exception & e) {
            error_ = std::string("internal error while reporting: ") + e.what();
        } catch (...) {
            error_ = "internal error while reporting";
        }
        return "";
    }

    // The model's own tokenization of `text` (core/tokenizer): an object
    // {"tokenizer": info or null, "findings": [...], "ids": [...], "pieces":
    // [...]}; ids and pieces are what `ggufcheck tokenize --json` prints. The
    // tokenizer is built on first use and kept with the model.
    std::string tokenize_json(const std::string & text, bool add_special, bool parse_special) {
        if (!loaded_) {
            error_ = "no model loaded";
            return "";
        }
        try {
            if (!tokenizer_built_) {
                tokenizer_ = gc::tokenizer_from_gguf(model_);
                tokenizer_built_ = true;
            }
            const gc::tokenizer * tok = tokenizer_.tok.get();
            nlohmann::json j = tok ? gc::tokenize_report(tok, tok->tokenize(text, add_special, parse_special))
                                   : nlohmann::json{ { "ids", nlohmann::json::array() } };
            j["tokenizer"] = tok ? gc::tokenizer_info(*tok) : nlohmann::json(nullptr);
            nlohmann::json findings = nlohmann::json::array();
            for (const auto & f : tokenizer_.findings) {
                findings.push_back({ { "severity", gc::severity_name(f.level) }, { "code", f.code }, { "message", f.message } });
            }
            j["findings"] = std::move(findings);
            return gc::json_dump(j, -1);
        } catch (const std::exception & e) {
            error_ = std::string("internal error while tokenizing: ") + e.what();
        } catch (...) {
            error_ = "internal error while tokenizing";
        }
        return "";
    }

    // Bytes fetched from all files so far (header parsing reads ~ the header).
    double bytes_fetched() const {
        uint64_t total = 0;
        for (const auto & s : sources_) {
            total += s->bytes_fetched();
        }
        return static_cast<double>(total);
    }

    const std::string & error() const { return error_; }

    void close() {
        error_.clear();
        close_keep_error();
    }

private:
    void close_keep_error() {
        tokenizer_ = gc::tokenizer_load_result{};
        tokenizer_built_ = false;
        model_ = gc::gguf_model{};
        sources_.clear();
        loaded_ = false;
    }

    gc::file_set sources_;
    gc::gguf_model model_;
    gc::tokenizer_load_result tokenizer_;
    bool tokenizer_built_ = false;
    bool loaded_ = false;
    std::string error_;
};

} // namespace

EMSCRIPTEN_BINDINGS(ggufcheck) {
    emscripten::class_<wasm_session>("Session")
        .constructor<>()
        .function("open", &wasm_session::open)
        .function("inspectJson", &wasm_session::inspect_json)
        .function("tokenizeJson", &wasm_session::tokenize_json)
        .function("bytesFetched", &wasm_session::bytes_fetched)
        .function("error", &wasm_session::error)
        .function("close", &wasm_session::close);
}
