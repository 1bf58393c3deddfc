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
//   s.openReference([reader, ...]);      // HF files or a reference GGUF
//   JSON.parse(s.referenceJson());       // {kind, description, findings}
//   JSON.parse(s.compareJson(quick, (done, total, tensor) => true));
//     // `ggufcheck compare --json` (with or without --ref); return false to cancel
//   JSON.parse(s.pplJson({ text: Uint8Array } | { tokens: Uint8Array, tokens_name },
//                        { n_ctx, chunks, use_ref, threads }, (p) => {}));   // `ggufcheck ppl --json`
//     // threads: absent = setThreads's; 0 = the hardware concurrency (1 without the threaded build)
//   s.setThreads(n);               // threads of later runs (0, the default: all cores)
//   s.threads();                   // threads the last run used
//   JSON.parse(M.threadsJson());   // {threads_available, default_threads}
//   M.memoryBytes();               // the wasm memory's size
//   JSON.parse(s.valueScanJson((done, total, tensor) => true));     // `ggufcheck dequant --stats --json`
//   JSON.parse(s.histogramJson(tensorName, bins));
//   M.reportMarkdown(JSON.stringify({ files, inspect, weights, ppl }));
//   s.delete();
//
// Long runs (compare, ppl, value scan) block the worker; the page cancels
// them by terminating the worker (web/src/state.js).
//
// Bad input never aborts: format problems become findings inside the JSON,
// and anything unexpected (an exception from the core) becomes error().
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstring>
#include <exception>
#include <memory>
#include <string>

#include "check/compare.h"
#include "compute/thread-pool.h"
#include "check/inspect.h"
#include "check/reference.h"
#include "check/report-md.h"
#include "check/selfcheck.h"
#include "check/value-scan.h"
#include "forward/ppl-report.h"
#include "forward/ppl-run.h"
#include "forward/ppl.h"
#include "model/model.h"
#include "quant/tensor-histogram.h"
#include "tokenizer/token-ids.h"
#include "tokenizer/tokenize-report.h"
#include "tokenizer/tokenizer.h"
#include "format/gguf.h"
#include "io/byte-source.h"
#include "js-source.h"

namespace {

// GGUF metadata is millions of tiny reads; each JS call costs far more than a
// memcpy, so they are served from a window (one FileReaderSync per window).
constexpr size_t READ_AHEAD_WINDOW = 4u << 20;

// The weight check's row blocks (buffer per side and batch; the scan holds
// two batches). The reads behind them are larger: the scan announces each
// stream with byte_source::will_read and the worker's reader fetches 64 MiB
// at a time (web/src/worker/file-reader.js). In Chromium on 2 cores, 8 MiB
// blocks checked the 1.24 GB benchmark pair as fast as 16 MiB ones
// (2.93-2.96 s) in 55 MiB of wasm memory instead of 94.
constexpr int64_t COMPARE_BLOCK_BYTES = 8ll << 20;

// A JS array of readers as byte sources behind read-ahead windows. False with
// *error naming the bad reader (`what` i: ...).
bool sources_from_js(emscripten::val readers, const char * what, gc::file_set & out, std::string * error) {
    const unsigned n = readers["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) {
        std::string err;
        auto src = gc::byte_source_from_js(readers[i], &err);
        if (!src) {
            *error = std::string(what) + " " + std::to_string(i) + ": " + err;
            return false;
        }
        out.push_back(gc::byte_source_read_ahead(std::move(src), READ_AHEAD_WINDOW));
    }
    return true;
}

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
            if (!sources_from_js(readers, "file", sources_, &error_)) {
                close_keep_error();
                return false;
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


    // Opens `readers` as the reference the candidate is checked against (the
    // Hugging Face files: config.json, *.safetensors, *.index.json; or a
    // reference GGUF). Needs an open, usable candidate (its architecture
    // picks the name mapping). False with error() when nothing usable was
    // given; referenceJson() then still lists the findings.
    bool open_reference(emscripten::val readers) {
        close_reference();
        error_.clear();
        if (!loaded_ || !model_.usable) {
            error_ = "open a usable candidate GGUF first";
            return false;
        }
        try {
            if (!sources_from_js(readers, "reference file", ref_sources_, &error_)) {
                close_reference();
                return false;
            }
            std::string err;
            if (!gc::reference_open(ref_sources_, model_.architecture(), ref_, &err)) {
                error_ = err;
                ref_tried_ = true;
                return false;
            }
            ref_open_ = true;
            ref_tried_ = true;
            return true;
        } catch (const std::exception & e) {
            error_ = std::string("internal error while opening the reference: ") + e.what();
        } catch (...) {
            error_ = "internal error while opening the reference";
        }
        close_reference();
        return false;
    }

    // {"open": bool, "kind", "description", "findings": [...]} of the last
    // openReference(), or {"open": false} when none was tried.
    std::string reference_json() {
        nlohmann::json j = { { "open", ref_open_ } };
        if (ref_tried_) {
            j["kind"] = ref_.kind;
            j["description"] = ref_.description;
            j["findings"] = gc::findings_to_json(ref_.findings);
        }
        return gc::json_dump(j, -1);
    }

    void close_reference() {
        ref_ = gc::reference_model{};
        ref_sources_.clear();
        ref_open_ = false;
        ref_tried_ = false;
    }

    // The weight check, as `ggufcheck compare CAND [--ref REF] [--quick]
    // --json` prints it: against the open reference (compare_to_json plus
    // "reference"), else the reference-free check (self_check_to_json).
    // progress(done, total, tensor) is called between row blocks; a falsy
    // return cancels (verdict "cancelled").
    std::string compare_json(bool quick, emscripten::val progress) {
        if (!usable_or_error()) return "";
        try {
            gc::compare_options opt;
            opt.quick = quick;
            opt.pool = pool_for(threads_requested_);
            if (!progress.isUndefined() && !progress.isNull()) {
                opt.progress = [&progress](uint64_t done, uint64_t total, const std::string & tensor) {
                    return progress((double) done, (double) total, tensor).as<bool>();
                };
            }
            std::vector<std::string> names;
            for (const auto & t : model_.tensors) names.push_back(t.info->name);
            auto cand = gc::weight_source_gguf(model_, sources_);
            if (ref_open_ && !reopen_reference()) return "";
            // GGUF sides are read raw on this thread and decoded by the pool
            // (check/compare-scan.h); a Hugging Face reference goes through
            // its weight source here.
            opt.block_bytes = COMPARE_BLOCK_BYTES;
            opt.cand_gguf_files = &sources_;
            opt.ref_gguf_files = ref_open_ && ref_.kind == "gguf" ? &ref_sources_ : nullptr;
            if (!ref_open_) {
                gc::self_check_report r = gc::self_check(*cand, names, opt);
                r.findings.insert(r.findings.begin(), model_.findings.begin(), model_.findings.end());
                if (gc::findings_have_errors(model_.findings)) r.verdict = "damaged";
                return gc::json_dump(gc::self_check_to_json(r), -1);
            }
            gc::compare_report r = gc::compare_weights(*cand, *ref_.weights, names, opt);
            gc::compare_add_input_findings(r, model_.findings, ref_.findings);
            nlohmann::json j = gc::compare_to_json(r);
            j["reference"] = ref_.description;
            return gc::json_dump(j, -1);
        } catch (const std::exception & e) {
            error_ = std::string("internal error in the weight check: ") + e.what();
        } catch (...) {
            error_ = "internal error in the weight check";
        }
        return "";
    }

    // Perplexity, as `ggufcheck ppl MODEL (-f TEXT | --tokens FILE) -c N
    // --chunks K [--ref REF] --json` prints it. input: {text: bytes} or
    // {tokens: bytes, tokens_name: file name} (core/tokenizer/token-ids.h
    // forms); opts: {n_ctx, chunks, use_ref, score_from_half_minus_one,
    // threads, activations: 'f32' (default) | 'ggml' (forward/forward.h)};
    // progress({batch, n_batches, layer, n_layers, chunks_done, n_chunks})
    // after every layer.
    std::string ppl_json(emscripten::val input, emscripten::val opts, emscripten::val progress) {
        if (!usable_or_error()) return "";
        try {
            gc::model_desc desc;
            std::string err;
            if (!gc::model_desc_from_gguf(model_, desc, &err)) return fail(err);
            gc::ppl_options opt;
            opt.n_ctx = opts["n_ctx"].isUndefined() ? 512 : opts["n_ctx"].as<int32_t>();
            opt.max_chunks = opts["chunks"].isUndefined() ? -1 : (int64_t) opts["chunks"].as<double>();
            opt.score_from_half_minus_one = opts["score_from_half_minus_one"].isTrue();
            opt.pool = pool_for(opts["threads"].isUndefined() ? threads_requested_ : opts["threads"].as<int>());
            if (!opts["activations"].isUndefined()) {
                const std::string mode = opts["activations"].typeOf().as<std::string>() == "string"
                                             ? opts["activations"].as<std::string>() : std::string();
                if (!gc::activation_mode_parse(mode, &opt.activations)) {
                    return fail("activations must be 'f32' or 'ggml'");
                }
            }
            if (!progress.isUndefined() && !progress.isNull()) {
                opt.progress = [&progress](const gc::ppl_progress & p) {
                    emscripten::val o = emscripten::val::object();
                    o.set("batch", (double) p.batch);
                    o.set("n_batches", (double) p.n_batches);
                    o.set("layer", p.layer);
                    o.set("n_layers", p.n_layers);
                    o.set("chunks_done", (double) p.chunks_done);
                    o.set("n_chunks", (double) p.n_chunks);
                    progress(o);
                };
            }
            const bool use_ref = opts["use_ref"].isTrue();
            if (use_ref && !ref_open_) return fail("no reference is open");

            if (!tokenizer_built_) {
                tokenizer_ = gc::tokenizer_from_gguf(model_);
                tokenizer_built_ = true;
            }
            opt.bos_id = gc::ppl_bos_id(tokenizer_);
            std::vector<int32_t> tokens;
            gc::ppl_text_id text_id;
            if (!input["tokens"].isUndefined()) {
                const std::string bytes = input["tokens"].as<std::string>();
                const std::string name = input["tokens_name"].isUndefined() ? "" : input["tokens_name"].as<std::string>();
                if (!gc::token_ids_parse(name, bytes, tokens, &err)) return fail(err);
                text_id = gc::ppl_tokens_identify(tokens);
            } else if (!input["text"].isUndefined()) {
                if (!tokenizer_.tok) {
                    std::string why = "no tokenizer for this model's vocabulary; use a token-id file";
                    for (const auto & f : tokenizer_.findings) why += "\n  " + f.message;
                    return fail(why);
                }
                const std::string text = input["text"].as<std::string>();
                tokens = gc::ppl_tokenize_text(*tokenizer_.tok, text);
                text_id = gc::ppl_text_identify(text);
            } else {
                return fail("no text and no token ids given");
            }

            gc::model_desc ref_desc;
            if (use_ref && !reopen_reference()) return "";
            if (use_ref && !gc::ppl_reference_desc(desc, ref_, ref_desc, &err)) return fail("reference: " + err);
            auto cand = gc::weight_source_gguf(model_, sources_);
            gc::ppl_model pc{ &desc, cand.get() };
            gc::ppl_model pr{ &ref_desc, use_ref ? ref_.weights.get() : nullptr };
            gc::ppl_result result;
            if (!gc::ppl_evaluate(pc, use_ref ? &pr : nullptr, tokens, opt, result, &err)) return fail(err);
            const gc::ppl_verdict verdict = gc::ppl_judge_run(desc, model_, text_id, opt, result);
            static const gc::finding_list no_findings;
            return gc::ppl_report_json(result, nullptr, &verdict, use_ref ? ref_.findings : no_findings,
                                       use_ref ? ref_.description : std::string(), -1);
        } catch (const std::exception & e) {
            error_ = std::string("internal error in the perplexity run: ") + e.what();
        } catch (...) {
            error_ = "internal error in the perplexity run";
        }
        return "";
    }

    // The value scan of every tensor (check/value-scan.h), as `ggufcheck
    // dequant --stats --json` prints it. Reads the whole candidate.
    std::string value_scan_json(emscripten::val progress) {
        if (!usable_or_error()) return "";
        try {
            gc::value_scan_progress fn;
            if (!progress.isUndefined() && !progress.isNull()) {
                fn = [&progress](uint64_t done, uint64_t total, const std::string & tensor) {
                    return progress((double) done, (double) total, tensor).as<bool>();
                };
            }
            return gc::json_dump(gc::value_scan_json(gc::value_scan(sources_, model_, {}, fn)), -1);
        } catch (const std::exception & e) {
            error_ = std::string("internal error in the value scan: ") + e.what();
        } catch (...) {
            error_ = "internal error in the value scan";
        }
        return "";
    }

    // A histogram of one tensor's values (quant/tensor-histogram.h) with
    // `bins` bins, plus {"name", "type"}.
    std::string histogram_json(const std::string & name, int bins) {
        if (!usable_or_error()) return "";
        try {
            const gc::gguf_tensor * t = model_.find_tensor(name);
            if (!t) return fail("no tensor named '" + name + "'");
            if (t->part >= model_.part_source.size() || model_.part_source[t->part] >= sources_.size()) {
                return fail("the file part of '" + name + "' is missing");
            }
            gc::tensor_layout lay;
            gc::tensor_histogram h;
            std::string err;
            if (!gc::tensor_layout_from_gguf(*t, &lay, &err) ||
                !gc::tensor_histogram_compute(*sources_[model_.part_source[t->part]], lay, bins, &h, &err)) {
                return fail(err);
            }
            nlohmann::json j = gc::tensor_histogram_json(h);
            j["name"] = name;
            const gc::ggml_type_info * ti = gc::ggml_type_get(t->info->type);
            j["type"] = ti ? ti->name : "unknown";
            return gc::json_dump(j, -1);
        } catch (const std::exception & e) {
            error_ = std::string("internal error in the histogram: ") + e.what();
        } catch (...) {
            error_ = "internal error in the histogram";
        }
        return "";
    }

    // Bytes fetched from all files so far (header parsing reads ~ the header).
    double bytes_fetched() const {
        uint64_t total = 0;
        for (const auto & s : sources_) {
            total += s->bytes_fetched();
        }
        for (const auto & s : ref_sources_) {
            total += s->bytes_fetched();
        }
        return static_cast<double>(total);
    }

    const std::string & error() const { return error_; }

    // Threads of the last threaded run (the pool's size; 1 before any).
    int threads() const { return pool_ ? pool_->size() : 1; }

    // Threads for the runs that follow (weight check, perplexity without a
    // `threads` option); <= 0: the hardware concurrency (the default).
    void set_threads(int n) { threads_requested_ = n; }

    void close() {
        error_.clear();
        close_keep_error();
    }

private:
    // The pool for a run asking for `threads` (<= 0: the hardware
    // concurrency; 1 in the single-thread build).
    gc::thread_pool * pool_for(int threads) {
        const int n = threads > 0 ? threads : gc::thread_count_default();
        if (!pool_ || pool_requested_ != n) {
            pool_.reset();
            pool_ = std::make_unique<gc::thread_pool>(n);
            pool_requested_ = n;
        }
        return pool_.get();
    }

    bool usable_or_error() {
        if (!loaded_ || !model_.usable) {
            error_ = loaded_ ? "the candidate cannot be read as GGUF" : "no model loaded";
            return false;
        }
        return true;
    }

    // Each run starts from a freshly opened reference, so that its counters
    // (bytes read) and recipe findings are those of this run alone, as in
    // one CLI invocation. Parsing the headers again is cheap (read-ahead).
    bool reopen_reference() {
        ref_ = gc::reference_model{};
        std::string err;
        if (!gc::reference_open(ref_sources_, model_.architecture(), ref_, &err)) {
            ref_open_ = false;
            error_ = "reference: " + err;
            return false;
        }
        return true;
    }

    std::string fail(const std::string & message) {
        error_ = message;
        return "";
    }

    void close_keep_error() {
        close_reference();
        tokenizer_ = gc::tokenizer_load_result{};
        tokenizer_built_ = false;
        model_ = gc::gguf_model{};
        sources_.clear();
        loaded_ = false;
    }

    gc::file_set sources_;
    gc::gguf_model model_;
    // The reference (declared after nothing it depends on: ref_ reads
    // through ref_sources_, so ref_ is reset first in close_reference()).
    gc::file_set ref_sources_;
    gc::reference_model ref_;
    bool ref_open_ = false, ref_tried_ = false;
    gc::tokenizer_load_result tokenizer_;
    bool tokenizer_built_ = false;
    bool loaded_ = false;
    std::string error_;
    // The session's threads, kept across runs: in the threaded build they
    // are web workers of the module's pool (see CMakeLists.txt), and a
    // thread given back to that pool only becomes free again once this
    // worker returns to its event loop, so each run reuses this pool rather
    // than making its own.
    std::unique_ptr<gc::thread_pool> pool_;
    int pool_requested_ = 0;
    int threads_requested_ = 0;
};

// What this build can do with threads: {threads_available, default_threads}.
std::string threads_json() {
    return nlohmann::json{ { "threads_available", gc::threads_available() },
                           { "default_threads", gc::thread_count_default() } }.dump();
}

// The wasm linear memory's size in bytes, read from the memory itself (in the
// threaded build any thread may grow it, and a JS heap view can be stale).
double memory_bytes() { return (double) __builtin_wasm_memory_size(0) * 65536.0; }

// The Markdown report (check/report-md.h) from a JSON string {files: [{role,
// name, size, sha256?}], inspect, weights, ppl} (each null or absent when not
// run). "" when the input is not such an object.
std::string report_markdown_json(const std::string & inputs) {
    try {
        const nlohmann::json j = nlohmann::json::parse(inputs, nullptr, false);
        if (!j.is_object()) return "";
        gc::report_inputs in;
        if (j.contains("files") && j["files"].is_array()) {
            for (const auto & f : j["files"]) {
                if (!f.is_object()) continue;
                gc::report_file rf;
                rf.role = f.value("role", "");
                rf.name = f.value("name", "");
                rf.size = f.contains("size") && f["size"].is_number() ? f["size"].get<uint64_t>() : 0;
                rf.sha256 = f.value("sha256", "");
                in.files.push_back(std::move(rf));
            }
        }
        for (const char * k : { "inspect", "weights", "ppl" }) {
            nlohmann::json v = j.contains(k) ? j[k] : nlohmann::json(nullptr);
            if (!std::strcmp(k, "inspect")) in.inspect = std::move(v);
            else if (!std::strcmp(k, "weights")) in.weights = std::move(v);
            else in.ppl = std::move(v);
        }
        return gc::report_markdown(in);
    } catch (...) {
        return "";
    }
}

} // namespace

EMSCRIPTEN_BINDINGS(ggufcheck) {
    emscripten::class_<wasm_session>("Session")
        .constructor<>()
        .function("open", &wasm_session::open)
        .function("inspectJson", &wasm_session::inspect_json)
        .function("tokenizeJson", &wasm_session::tokenize_json)
        .function("openReference", &wasm_session::open_reference)
        .function("referenceJson", &wasm_session::reference_json)
        .function("closeReference", &wasm_session::close_reference)
        .function("compareJson", &wasm_session::compare_json)
        .function("pplJson", &wasm_session::ppl_json)
        .function("valueScanJson", &wasm_session::value_scan_json)
        .function("histogramJson", &wasm_session::histogram_json)
        .function("bytesFetched", &wasm_session::bytes_fetched)
        .function("threads", &wasm_session::threads)
        .function("setThreads", &wasm_session::set_threads)
        .function("error", &wasm_session::error)
        .function("close", &wasm_session::close);
    emscripten::function("reportMarkdown", &report_markdown_json);
    emscripten::function("threadsJson", &threads_json);
    emscripten::function("memoryBytes", &memory_bytes);
}
