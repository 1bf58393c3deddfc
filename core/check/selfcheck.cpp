// Reference-free weight check (see selfcheck.h).
#include "check/selfcheck.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "check/diagnosis.h"
#include "compute/thread-pool.h"
#include "compute/tile-stream.h"
#include "metrics/moments.h"
#include "model/hf-map.h"

namespace gc {

using nlohmann::json;

namespace {

constexpr double TREND_MIN_LOG10 = 1.0;     // a factor of 10
constexpr double TREND_MIN_MADS = 4.0;

double median(std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string fmt(const char * f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

} // namespace

std::vector<double> robust_trend_residuals(const std::vector<double> & x, const std::vector<double> & y) {
    std::vector<double> slopes;
    for (size_t i = 0; i < x.size(); ++i) {
        for (size_t j = i + 1; j < x.size(); ++j) {
            if (x[j] != x[i]) slopes.push_back((y[j] - y[i]) / (x[j] - x[i]));
        }
    }
    const double b = median(slopes);
    std::vector<double> a(x.size());
    for (size_t i = 0; i < x.size(); ++i) a[i] = y[i] - b * x[i];
    const double a0 = median(a);
    std::vector<double> r(x.size());
    for (size_t i = 0; i < x.size(); ++i) r[i] = y[i] - (a0 + b * x[i]);
    return r;
}

self_check_report self_check(weight_source & cand, const std::vector<std::string> & names, const compare_options & opt,
                             int64_t block_floats) {
    self_check_report rep;
    rep.quick = opt.quick;
    uint64_t total = 0, done = 0;
    for (const auto & n : names) {
        if (const weight_tensor * t = cand.find(n)) total += t->row_bytes * (uint64_t) t->n_rows;
    }
    if (opt.quick) total = (uint64_t) (total * opt.quick_fraction) + 1;
    // Threads (compute/tile-stream.h): the calling thread reads each block of
    // rows and reports progress; any thread decodes a block (a GGUF tensor's
    // raw rows; other sources decode in read_rows, on the caller) and sums
    // its moments. Blocks depend on the shapes only and are merged in order,
    // so the numbers do not depend on the thread count.
    std::unique_ptr<thread_pool> own_pool;
    thread_pool * pool = compare_pool(opt, own_pool);
    tile_slots slots;
    std::vector<std::vector<float>> decoded((size_t) (pool ? pool->size() : 1));   // per worker
    bool cancelled = false;
    for (const auto & name : names) {
        const weight_tensor * t = cand.find(name);
        if (!t) continue;
        self_tensor_result r;
        r.name = name;
        r.type = t->type ? t->type->name : "unknown";
        r.layer = tensor_layer(name);
        r.cls = tensor_class(name);
        r.rows_total = t->n_rows;
        if (!t->type || !t->type->dequant || t->row_bytes == 0) {
            r.note = "type cannot be decoded; not checked";
            rep.tensors.push_back(std::move(r));
            continue;
        }
        // Same row sampling as the reference check in quick mode, cut into
        // blocks of about block_floats.
        int64_t step = t->n_rows, run = t->n_rows;
        if (opt.quick && t->n_rows > opt.quick_min_rows) {
            const int64_t want = std::max<int64_t>(opt.quick_min_rows, (int64_t) std::ceil(t->n_rows * opt.quick_fraction));
            run = std::max<int64_t>(1, want / 16);
            step = std::max<int64_t>(run, t->n_rows / 16);
        }
        const int64_t block = std::max<int64_t>(1, block_floats / t->n_cols);
        std::vector<std::pair<int64_t, int64_t>> blocks;   // (first row, rows)
        for (int64_t s = 0; s < t->n_rows; s += step) {
            const int64_t end = std::min(t->n_rows, s + run);
            for (int64_t r0 = s; r0 < end; r0 += block) blocks.emplace_back(r0, std::min(block, end - r0));
        }
        std::vector<moments> parts(blocks.size());
        std::string error;
        if (run == t->n_rows) cand.will_read_rows(*t, 0, t->n_rows);   // a full read streams the tensor
        // A slot holds a block's f32 values, or its raw bytes where they take
        // no more room (every type but F64).
        const bool raw = cand.has_raw_rows(*t) && t->row_bytes <= (uint64_t) t->n_cols * sizeof(float);
        const int64_t slot_floats = std::min(block, run) * t->n_cols;
        const bool ok = stream_tiles(
            pool, (int64_t) blocks.size(), (size_t) slot_floats, slots,
            [&](int64_t i, float * buf, std::string * e) {
                const auto [r0, nr] = blocks[(size_t) i];
                const bool read = raw ? cand.read_raw_rows(*t, r0, nr, reinterpret_cast<uint8_t *>(buf), e)
                                      : cand.read_rows(*t, r0, nr, buf, e);
                if (!read) return false;
                r.rows_read += nr;
                done += (uint64_t) nr * t->row_bytes;
                if (opt.progress && !opt.progress(std::min(done, total), total, name)) {
                    cancelled = true;
                    if (e) *e = "cancelled";
                    return false;
                }
                return true;
            },
            [&](int64_t i, const float * buf, int worker) {
                const int64_t n = blocks[(size_t) i].second * t->n_cols;
                if (raw) {
                    std::vector<float> & values = decoded[(size_t) worker];
                    if (values.size() < (size_t) n) values.resize((size_t) n);
                    t->type->dequant(reinterpret_cast<const uint8_t *>(buf), values.data(), n);
                    buf = values.data();
                }
                parts[(size_t) i].add(buf, n);
            },
            &error);
        if (cancelled) {
            rep.verdict = "cancelled";
            rep.summary = "The check was cancelled.";
            return rep;
        }
        if (!ok) {
            r.note = error;
            rep.tensors.push_back(std::move(r));
            continue;
        }
        moments m;
        for (const moments & p : parts) m.merge(p);
        r.n_elements = m.n + m.nonfinite;
        r.rms = m.rms();
        r.mean = m.mean();
        r.max_abs = m.max_abs;
        r.kurtosis = m.kurtosis();
        r.nonfinite = m.nonfinite;
        r.status = weight_status::healthy;
        if (m.nonfinite) {
            r.status = weight_status::damaged;
            r.note = std::to_string(m.nonfinite) + " NaN/Inf value(s)";
        } else if (t->n_rows > 1 && m.max_abs == 0.0) {
            r.status = weight_status::damaged;
            r.note = "all values are zero";
        }
        rep.tensors.push_back(std::move(r));
    }
    rep.bytes_read = cand.bytes_read();

    // Trends per class across layers.
    std::map<std::string, std::vector<self_tensor_result *>> classes;
    for (auto & t : rep.tensors) {
        if (t.layer >= 0 && t.status == weight_status::healthy) classes[t.cls].push_back(&t);
    }
    for (auto & [cls, ts] : classes) {
        if (ts.size() < 4) continue;
        const bool scalar = ts.front()->n_elements == 1;
        struct series { const char * what; std::vector<double> y; };
        std::vector<series> all;
        if (scalar) {
            all.push_back({ "value", {} });
        } else {
            all.push_back({ "RMS", {} });
            if (ts.front()->rows_total > 1) all.push_back({ "kurtosis", {} });
        }
        std::vector<double> x;
        for (auto * t : ts) {
            x.push_back(t->layer);
            const double v = scalar ? std::fabs(t->mean) : t->rms;
            all[0].y.push_back(std::log10(std::max(v, 1e-30)));
            if (all.size() > 1) all[1].y.push_back(std::log10(std::max(t->kurtosis, 1e-30)));
        }
        for (auto & s : all) {
            const auto res = robust_trend_residuals(x, s.y);
            std::vector<double> dev;
            const double med = median(res);
            for (double r : res) dev.push_back(std::fabs(r - med));
            const double mad = 1.4826 * median(dev);
            for (size_t i = 0; i < ts.size(); ++i) {
                const double off = std::fabs(res[i]);
                ts[i]->trend_offset = std::max(ts[i]->trend_offset, off);
                if (off > TREND_MIN_LOG10 && off > TREND_MIN_MADS * mad) {
                    ts[i]->status = weight_status::suspicious;
                    const double factor = std::pow(10.0, res[i]);
                    ts[i]->note = std::string(s.what) + " is " + (factor > 1 ? fmt("%.3g", factor) + "x above" : fmt("%.3g", 1 / factor) + "x below") +
                                  " the trend of " + cls + " across layers";
                }
            }
        }
    }

    // Findings, layers, verdict.
    std::map<int32_t, layer_agreement_result> layers;
    std::vector<std::string> bad_layers;
    int n_damaged = 0, n_suspicious = 0;
    for (const auto & t : rep.tensors) {
        if (t.status == weight_status::damaged) ++n_damaged;
        if (t.status == weight_status::suspicious) ++n_suspicious;
        if (t.status == weight_status::damaged || t.status == weight_status::suspicious) {
            rep.findings.push_back({ t.status == weight_status::damaged ? severity::error : severity::warning,
                                     t.status == weight_status::damaged ? "tensor_damaged" : "trend_outlier",
                                     t.name + ": " + t.note + ".", "", t.name, {} });
        }
        if (t.layer < 0 || t.status == weight_status::skipped) continue;
        auto & L = layers[t.layer];
        L.layer = t.layer;
        if (t.trend_offset >= L.worst_ratio || L.worst_tensor.empty()) {
            L.worst_ratio = t.trend_offset;
            L.worst_tensor = t.name;
        }
        if (t.status == weight_status::damaged || (t.status == weight_status::suspicious && L.status != weight_status::damaged)) L.status = t.status;
    }
    std::vector<bool> flag;
    for (auto & [l, L] : layers) {
        if (flag.size() <= (size_t) l) flag.resize((size_t) l + 1, false);
        flag[(size_t) l] = L.status != weight_status::healthy;
        rep.layers.push_back(L);
    }
    if (auto [p, res] = find_period(flag); p > 0) {
        rep.findings.push_back({ severity::warning, "periodic_anomaly", "the layers that break their class's trend are every " +
            std::to_string(p) + "th layer (layer mod " + std::to_string(p) + " = " + std::to_string(res) +
            "); a layer pattern like this is worth a check against the original weights.", "", "", {} });
    }
    rep.findings.push_back({ severity::info, "reference_free",
        "Checked without a reference: statistics of the weights alone can reveal NaN/Inf, zeroed tensors and layers that "
        "break the trend of their neighbours, but not subtle damage. For a real verdict, add the original weights: the Hugging Face "
        "files, or a reference GGUF of the same model at Q8_0/BF16 (a much smaller download than the safetensors).", "", "", {} });
    if (n_damaged) {
        rep.verdict = "damaged";
        rep.summary = std::to_string(n_damaged) + " tensor(s) hold NaN/Inf or only zeros.";
    } else if (n_suspicious) {
        rep.verdict = "suspicious";
        rep.summary = std::to_string(n_suspicious) + " tensor(s) break the trend of their class across layers (no reference given).";
    } else {
        rep.verdict = "no_anomaly";
        rep.summary = "No anomaly in the weights' statistics (no reference given: a weaker check than a comparison).";
    }
    return rep;
}

json self_check_to_json(const self_check_report & r) {
    auto num = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
    json tensors = json::array();
    for (const auto & t : r.tensors) {
        json o{ { "name", t.name }, { "type", t.type }, { "layer", t.layer }, { "class", t.cls }, { "n_elements", t.n_elements },
                { "rows", t.rows_total }, { "rows_read", t.rows_read }, { "rms", num(t.rms) }, { "mean", num(t.mean) },
                { "max_abs", num(t.max_abs) }, { "kurtosis", num(t.kurtosis) }, { "trend_offset_log10", num(t.trend_offset) },
                { "status", weight_status_name(t.status) } };
        if (t.nonfinite) o["nonfinite"] = t.nonfinite;
        if (!t.note.empty()) o["note"] = t.note;
        tensors.push_back(std::move(o));
    }
    json layers = json::array();
    for (const auto & l : r.layers) {
        layers.push_back({ { "layer", l.layer }, { "worst_tensor", l.worst_tensor }, { "status", weight_status_name(l.status) } });
    }
    json findings = json::array();
    for (const auto & f : r.findings) {
        json o{ { "severity", severity_name(f.level) }, { "code", f.code }, { "message", f.message } };
        if (!f.tensor.empty()) o["tensor"] = f.tensor;
        findings.push_back(std::move(o));
    }
    return json{ { "mode", "reference_free" }, { "verdict", r.verdict }, { "summary", r.summary }, { "quick", r.quick },
                 { "bytes_read", r.bytes_read }, { "tensors", tensors }, { "layers", layers }, { "findings", findings } };
}

} // namespace gc
