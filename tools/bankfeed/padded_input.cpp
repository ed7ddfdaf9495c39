#include "tools/bankfeed/padded_input.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <csignal>
#include <utility>


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

// Maps a regular file of `size` bytes (> 0) with kBodyPadding zero bytes after it: an anonymous read-only region
// of the whole length, then the file over its start. Null when the kernel refuses (the caller reads instead).
const char* MapPadded(int fd, size_t size, size_t& length) {
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  length = (size + kBodyPadding + page - 1) / page * page;
  void* region = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) return nullptr;
  // MAP_POPULATE maps the pages now, in one call, rather than one fault per page as the parser reaches them.
  void* file = ::mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0);
  if (file == MAP_FAILED) {
    ::munmap(region, length);
    return nullptr;
  }
  (void)::madvise(file, size, MADV_SEQUENTIAL);
  return static_cast<const char*>(file);
}

// The mapped input, and what the handler puts back. Set before the mapped bytes are read (Read and
// ArmTruncatedInputHandler run on the main thread first), so the handler sees them written.
volatile uintptr_t g_map_begin = 0;
volatile uintptr_t g_map_end = 0;
volatile sig_atomic_t g_restore_fd = -1;
volatile long long g_restore_length = -1;

void OnBusError(int signal, siginfo_t* info, void*) {
  const auto at = reinterpret_cast<uintptr_t>(info->si_addr);
  if (at < g_map_begin || at >= g_map_end) {
    // Not the input: the default action, as if no handler had been set (delivered once this handler returns).
    ::signal(signal, SIG_DFL);
    ::raise(signal);
    return;
  }
  if (g_restore_fd >= 0 && g_restore_length >= 0) (void)::ftruncate(g_restore_fd, g_restore_length);
  static constexpr char kMessage[] = "bankfeed: the input file changed (shrank) while it was read\n";
  (void)!::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  ::_exit(66);  // EX_NOINPUT, as for any input that cannot be read
}

}  // namespace

Result<PaddedInput> PaddedInput::Read(const std::string& path) {
  PaddedInput input;
  const bool stdin_input = path == "-";
  const int fd = stdin_input ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return MakeError(ErrorCode::kNotFound, "cannot open input file: " + std::string(std::strerror(errno)));
  const std::string what = stdin_input ? "standard input" : "input file";
  struct stat st {};
  const off_t at = ::lseek(fd, 0, SEEK_CUR);
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && at == 0 && st.st_size > 0) {
    input.size_ = static_cast<size_t>(st.st_size);
    input.map_ = MapPadded(fd, input.size_, input.map_length_);
    if (input.map_ != nullptr) {
      g_map_begin = reinterpret_cast<uintptr_t>(input.map_);
      g_map_end = g_map_begin + input.map_length_;
      ArmTruncatedInputHandler();
    }
  }
  if (input.map_ == nullptr) {
    Result<std::string> body = ReadAll(fd, what);
    if (!body) {
      if (!stdin_input) ::close(fd);
      return tl::unexpected(body.error());
    }
    input.buffer_ = std::move(*body);
  }
  if (!stdin_input) ::close(fd);  // a mapping outlives its descriptor
  return input;
}

PaddedInput::PaddedInput(PaddedInput&& other) noexcept
    : buffer_(std::move(other.buffer_)),
      map_(std::exchange(other.map_, nullptr)),
      map_length_(std::exchange(other.map_length_, 0)),
      size_(std::exchange(other.size_, 0)) {}

PaddedInput::~PaddedInput() {
  if (map_ == nullptr) return;
  if (g_map_begin == reinterpret_cast<uintptr_t>(map_)) {
    g_map_begin = 0;
    g_map_end = 0;
  }
  ::munmap(const_cast<char*>(map_), map_length_);
}

void ArmTruncatedInputHandler(int restore_fd, long long restore_length) {
  g_restore_length = restore_length;
  g_restore_fd = restore_fd;
  struct sigaction action {};
  action.sa_sigaction = OnBusError;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  (void)::sigaction(SIGBUS, &action, nullptr);
}

}  // namespace bankfeed::cli
