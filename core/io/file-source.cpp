// Native file byte source (POSIX pread).
#include "io/byte-source.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gc {

namespace {

class file_source final : public byte_source {
public:
    file_source(int fd, uint64_t size, std::string name) : fd_(fd), size_(size), name_(std::move(name)) {}
    ~file_source() override { ::close(fd_); }

    uint64_t size() const override { return size_; }
    const std::string & name() const override { return name_; }
    uint64_t bytes_fetched() const override { return fetched_; }

    bool read(uint64_t offset, void * dst, size_t len) override {
        if (!byte_range_ok(size_, offset, len)) {
            return false;
        }
        auto * out = static_cast<uint8_t *>(dst);
        while (len > 0) {
            ssize_t n = ::pread(fd_, out, len, (off_t) offset);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return false;
            }
            out += n;
            offset += (uint64_t) n;
            len -= (size_t) n;
            fetched_ += (uint64_t) n;
        }
        return true;
    }

private:
    int fd_;
    uint64_t size_;
    std::string name_;
    uint64_t fetched_ = 0;
};

} // namespace

std::unique_ptr<byte_source> byte_source_open_file(const std::string & path, std::string * error) {
    int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) {
        if (error) *error = path + ": " + std::strerror(errno);
        return nullptr;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (error) *error = path + ": not a regular file";
        ::close(fd);
        return nullptr;
    }
    std::string name = path;
    if (auto slash = name.find_last_of('/'); slash != std::string::npos) {
        name = name.substr(slash + 1);
    }
    return std::make_unique<file_source>(fd, (uint64_t) st.st_size, std::move(name));
}

} // namespace gc
