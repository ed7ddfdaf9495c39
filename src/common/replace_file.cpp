// Replacing a private file atomically. See common/replace_file.hpp.
#include "common/replace_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace bankfeed {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Close() {
    const int rc = fd_ >= 0 ? ::close(fd_) : 0;
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

// The reason on failure.
tl::expected<void, std::string> WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return tl::unexpected(ErrnoText(n < 0 ? errno : EIO));
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

}  // namespace

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

// Writes `text` to a fresh 0600 file next to `path`, syncs it and renames it over `path`. Returns the reason on
// failure (the caller adds the path).
tl::expected<void, std::string> ReplaceFile(const std::string& path, std::string_view text) {
  std::string temp = path + ".tmp-XXXXXX";
  Fd fd(::mkostemp(temp.data(), O_CLOEXEC));  // created 0600, O_EXCL
  if (fd.get() < 0) return tl::unexpected("cannot create a temporary file: " + ErrnoText(errno));
  const auto fail = [&temp](std::string reason) {
    ::unlink(temp.c_str());
    return tl::unexpected(std::move(reason));
  };
  if (::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0) return fail("cannot chmod: " + ErrnoText(errno));
  if (auto w = WriteAll(fd.get(), text); !w) return fail("cannot write: " + w.error());
  if (::fsync(fd.get()) != 0) return fail("cannot sync: " + ErrnoText(errno));
  if (fd.Close() != 0) return fail("cannot close: " + ErrnoText(errno));
  if (::rename(temp.c_str(), path.c_str()) != 0) return fail("cannot rename into place: " + ErrnoText(errno));
  // Make the rename itself durable. Failing to sync the directory leaves a correct file that a crash might undo.
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) ::fsync(dir_fd.get());
  return {};
}


}  // namespace bankfeed
