// File-kind sniffing: each signature is recognized from real-looking heads,
// and the GGUF and safetensors readers name what a rejected file looks like
// and say what to do (deliverable 5 of issue 8: actionable errors).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "format/file-kind.h"
#include "format/gguf.h"
#include "format/safetensors.h"
#include "gguf-builder.h"

namespace {

using gc::file_kind;

std::vector<uint8_t> bytes_of(const std::string & s) { return std::vector<uint8_t>(s.begin(), s.end()); }

file_kind sniff(const std::vector<uint8_t> & b) { return gc::file_kind_sniff(b.data(), b.size(), b.size()); }

// A minimal safetensors file: u64 LE header length, JSON header, data.
std::vector<uint8_t> safetensors_bytes() {
    const std::string header = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
    std::vector<uint8_t> b(8);
    const uint64_t n = header.size();
    std::memcpy(b.data(), &n, 8);
    b.insert(b.end(), header.begin(), header.end());
    b.resize(b.size() + 8, 0);
    return b;
}

// A zip local file header (APPNOTE 4.3.7) naming `name`, as torch.save writes.
std::vector<uint8_t> zip_bytes(const std::string & name) {
    std::vector<uint8_t> b = { 'P', 'K', 3, 4 };
    b.resize(30, 0);
    b[26] = (uint8_t) name.size();
    b.insert(b.end(), name.begin(), name.end());
    b.resize(b.size() + 64, 0x55);
    return b;
}

gc::gguf_model load(std::vector<uint8_t> bytes, const std::string & name) {
    gc::file_set set;
    set.push_back(gc::byte_source_from_memory(std::move(bytes), name));
    return gc::gguf_load(set);
}

std::string first_error(const gc::gguf_model & m) {
    for (const auto & f : m.findings) {
        if (f.level == gc::severity::error) return f.code + ": " + f.message;
    }
    return "";
}

} // namespace

TEST(FileKind, Signatures) {
    EXPECT_EQ(gc::file_kind_sniff(nullptr, 0, 0), file_kind::empty);
    EXPECT_EQ(sniff(gc_test::small_model()), file_kind::gguf);
    EXPECT_EQ(sniff({ 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 }), file_kind::png);
    EXPECT_EQ(sniff({ 0xff, 0xd8, 0xff, 0xe0, 0, 16 }), file_kind::jpeg);
    EXPECT_EQ(sniff(bytes_of("GIF89a....")), file_kind::gif);
    EXPECT_EQ(sniff({ 'R', 'I', 'F', 'F', 0x10, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' ' }), file_kind::webp);
    EXPECT_EQ(sniff(bytes_of("%PDF-1.7\n")), file_kind::pdf);
    EXPECT_EQ(sniff(zip_bytes("model.gguf")), file_kind::zip);
    EXPECT_EQ(sniff(zip_bytes("archive/data.pkl")), file_kind::pytorch_zip);
    EXPECT_EQ(sniff({ 0x1f, 0x8b, 8, 0 }), file_kind::gzip);
    EXPECT_EQ(sniff({ 0xfd, '7', 'z', 'X', 'Z', 0, 0 }), file_kind::xz);
    EXPECT_EQ(sniff({ 0x28, 0xb5, 0x2f, 0xfd, 0 }), file_kind::zstd);
    EXPECT_EQ(sniff(bytes_of("BZh91AY&SY")), file_kind::bzip2);
    EXPECT_EQ(sniff({ '7', 'z', 0xbc, 0xaf, 0x27, 0x1c, 0, 4 }), file_kind::seven_zip);
    std::vector<uint8_t> tar(512, 0);
    std::memcpy(tar.data(), "model.gguf", 10);
    std::memcpy(tar.data() + 257, "ustar", 5);
    EXPECT_EQ(sniff(tar), file_kind::tar);
    EXPECT_EQ(sniff(safetensors_bytes()), file_kind::safetensors);
    EXPECT_EQ(sniff({ 0x80, 0x02, 0x8a, 0x0a }), file_kind::pickle);
    EXPECT_EQ(sniff(bytes_of("lmgg\x01\0\0\0")), file_kind::ggml_legacy);
    EXPECT_EQ(sniff(bytes_of("tjgg\x03\0\0\0")), file_kind::ggml_legacy);
    EXPECT_EQ(sniff(bytes_of("\x93NUMPY\x01\0v\0")), file_kind::numpy);
    EXPECT_EQ(sniff(bytes_of("\x7f" "ELF\x02\x01\x01")), file_kind::elf);
    EXPECT_EQ(sniff(bytes_of("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 4368439584\n")),
              file_kind::git_lfs_pointer);
    EXPECT_EQ(sniff(bytes_of("\xef\xbb\xbf\n  <!DOCTYPE html><html><body>Entry not found</body></html>")), file_kind::html);
    EXPECT_EQ(sniff(bytes_of("<html>\n<head><title>404 Not Found</title></head>")), file_kind::html);
    EXPECT_EQ(sniff(bytes_of("{\"error\":\"Repository not found\"}")), file_kind::json);
    EXPECT_EQ(sniff(bytes_of("hello, this is not a model\n")), file_kind::text);
    EXPECT_EQ(sniff({ 0x00, 0x01, 0x02, 0x03, 0xfe, 0xff, 0x00, 0x10 }), file_kind::unknown);
}

// A head shorter than a signature never reads past n: a 3-byte "GGU" is
// not GGUF, a 5-byte "\x89PNG\r" is not PNG (it is unknown, or text).
TEST(FileKind, ShortHeads) {
    EXPECT_NE(sniff(bytes_of("GGU")), file_kind::gguf);
    EXPECT_NE(sniff({ 0x89, 'P', 'N', 'G', '\r' }), file_kind::png);
    EXPECT_EQ(sniff({ 'M', 'Z' }), file_kind::text);
    // The safetensors length must fit in the file.
    auto st = safetensors_bytes();
    st.resize(20);
    EXPECT_NE(sniff(st), file_kind::safetensors);
    // n larger than the file size is clamped to the file size.
    const auto png = std::vector<uint8_t>{ 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    EXPECT_NE(gc::file_kind_sniff(png.data(), png.size(), 4), file_kind::png);
}

// Every kind has a name and (except GGUF) advice that ends in a period.
TEST(FileKind, EveryKindExplained) {
    for (int k = 0; k <= (int) file_kind::unknown; ++k) {
        const auto kind = (file_kind) k;
        EXPECT_STRNE(gc::file_kind_name(kind), "") << k;
        const std::string advice = gc::file_kind_advice(kind);
        if (kind == file_kind::gguf) {
            EXPECT_EQ(advice, "");
            continue;
        }
        ASSERT_FALSE(advice.empty()) << k;
        EXPECT_EQ(advice.back(), '.') << k;
    }
}

// The GGUF reader names what it got and what to do, keeping the codes.
TEST(FileKind, GgufReaderExplainsBadMagic) {
    struct Case { std::vector<uint8_t> bytes; const char * code; const char * says; const char * todo; };
    std::vector<uint8_t> png = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    png.resize(200, 0);
    const std::vector<Case> cases = {
        { {}, "truncated", "empty (0 bytes)", "download the file again" },
        { png, "bad_magic", "a PNG image", "drop the .gguf file instead" },
        { zip_bytes("model.gguf"), "bad_magic", "a zip archive", "Unpack it first" },
        { safetensors_bytes(), "bad_magic", "a safetensors file", "convert_hf_to_gguf.py" },
        { bytes_of("<!doctype html><html><head><title>model.gguf</title></head><body>Sign in</body></html>"),
          "bad_magic", "an HTML web page", "/resolve/, not /blob/" },
        { bytes_of("version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 7\n"), "bad_magic", "Git LFS pointer",
          "git lfs pull" },
        { { 0x00, 0x01, 0x02, 0x03, 0xfe, 0xff, 0x00, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "bad_magic",
          "(00 01 02 03) at offset 0", "sha256" },
    };
    for (const auto & c : cases) {
        const auto m = load(c.bytes, "download.gguf");
        EXPECT_FALSE(m.usable);
        const std::string e = first_error(m);
        EXPECT_EQ(e.rfind(std::string(c.code) + ": download.gguf: ", 0), 0u) << e;
        EXPECT_NE(e.find(c.says), std::string::npos) << e;
        EXPECT_NE(e.find(c.todo), std::string::npos) << e;
    }
    // An empty file is not also called "cut off inside its header".
    EXPECT_EQ(first_error(load({}, "e.gguf")).find("cut off"), std::string::npos);
}

// The safetensors reader says what a file under a .safetensors name really is.
TEST(FileKind, SafetensorsReaderExplainsHeader) {
    auto run = [](std::vector<uint8_t> bytes) {
        gc::hf_model m;
        auto src = gc::byte_source_from_memory(std::move(bytes), "model.safetensors");
        EXPECT_FALSE(gc::safetensors_parse(*src, 0, m));
        EXPECT_FALSE(m.findings.empty());
        return m.findings.empty() ? std::string() : m.findings.front().code + ": " + m.findings.front().message;
    };
    const std::string lfs = run(bytes_of("version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 988097824\n"));
    EXPECT_NE(lfs.find("bad_header: "), std::string::npos) << lfs;
    EXPECT_NE(lfs.find("git lfs pull"), std::string::npos) << lfs;
    const std::string gguf = run(gc_test::small_model());
    EXPECT_NE(gguf.find("It is a GGUF file"), std::string::npos) << gguf;
    const std::string empty = run({});
    EXPECT_NE(empty.find("truncated: "), std::string::npos) << empty;
    EXPECT_NE(empty.find("empty (0 bytes)"), std::string::npos) << empty;
}
