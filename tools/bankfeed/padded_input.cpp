#include "tools/bankfeed/padded_input.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "bankfeed/normalize.hpp"

namespace bankfeed::cli {
namespace {

// The most one read from a pipe asks for: resize() zero-fills what it asks for, and a pipe gives 64 KiB at a time.
constexpr size_t kPipeChunk = 256 << 10;

// Bytes a regular file still holds past the descriptor's offset; 0 for anything else (pipes, terminals).
size_t SizeHint(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  const off_t at = ::lseek(fd, 0, SEEK_CUR);
  return at >= 0 && at < st.st_size ? static_cast<size_t>(st.st_size - at) : 0;
}

// Asks the kernel for transparent huge pages under a large buffer (Linux "madvise" mode): a report of a hundred MB
// otherwise costs tens of thousands of page faults before the first row is read. Advice only; a refusal changes
// nothing.
void AdviseHugePages(std::string& buffer) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t kHugePage = uintptr_t{2} << 20;
  if (buffer.capacity() < 4 * kHugePage) return;
  const auto begin = reinterpret_cast<uintptr_t>(buffer.data());
  const uintptr_t first = (begin + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t last = (begin + buffer.capacity()) & ~(kHugePage - 1);
  if (last > first) (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)buffer;
#endif
}

// Reads to the end of `fd`. The invariant body.capacity() >= body.size() + kBodyPadding holds throughout, and reads
// go straight into the string's spare room, so the body is never copied once it is read (except when a pipe makes
// the buffer grow).
Result<std::string> ReadAll(int fd, const std::string& what) {
  const size_t hint = SizeHint(fd);
  std::string body;
  body.reserve(hint + kBodyPadding);
  AdviseHugePages(body);
  while (true) {
    size_t room = body.capacity() - body.size() - kBodyPadding;
    if (room == 0) {
      // Full: the next read may be the end of the input, so only grow when it is not. A regular file of known size
      // ends here with one empty read and no reallocation.
      char probe[4096];
      const ssize_t n = ::read(fd, probe, sizeof probe);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return MakeError(ErrorCode::kNotFound, "cannot read " + what + ": " + std::strerror(errno));
      if (n == 0) return body;
      body.reserve(std::max(body.capacity() * 2, body.size() + static_cast<size_t>(n) + kPipeChunk + kBodyPadding));
      AdviseHugePages(body);
      body.append(probe, static_cast<size_t>(n));
      continue;
    }
    if (hint == 0) room = std::min(room, kPipeChunk);
    const size_t old = body.size();
    body.resize(old + room);
    const ssize_t n = ::read(fd, body.data() + old, room);
    const int read_errno = errno;
    body.resize(old + static_cast<size_t>(std::max<ssize_t>(n, 0)));
    if (n < 0 && read_errno == EINTR) continue;
    if (n < 0) return MakeError(ErrorCode::kNotFound, "cannot read " + what + ": " + std::strerror(read_errno));
    if (n == 0) return body;
  }
}

}  // namespace

Result<std::string> ReadPaddedInput(const std::string& path) {
  if (path == "-") return ReadAll(STDIN_FILENO, "standard input");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return MakeError(ErrorCode::kNotFound, "cannot open input file: " + std::string(std::strerror(errno)));
  Result<std::string> body = ReadAll(fd, "input file");
  ::close(fd);
  return body;
}

}  // namespace bankfeed::cli
