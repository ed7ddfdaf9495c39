// Reading bank profiles from files and directories (include/bankfeed/profile.hpp). A profile is small text; the
// file is read through one descriptor, refused when it is not a regular file or larger than kMaxProfileBytes, and
// errors name the path and the reason, never anything the file holds.
#include "config/profile_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <system_error>
#include <utility>

#include "bankfeed/profile.hpp"

namespace bankfeed {
namespace {

using config::kMaxProfileBytes;

Error FileError(const std::string& path, std::string_view what, int error_number) {
  std::string message = path + ": " + std::string(what);
  if (error_number != 0) message += ": " + std::error_code(error_number, std::generic_category()).message();
  return Error(ErrorCode::kConfig, std::move(message));
}

// The whole file: a regular file of at most kMaxProfileBytes (never a FIFO or a device, which could block or never
// end).
Result<std::string> ReadProfileFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return tl::unexpected(FileError(path, "cannot open", errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return tl::unexpected(FileError(path, "cannot stat", errno));
  if (!S_ISREG(st.st_mode)) return tl::unexpected(FileError(path, "not a regular file", 0));
  const std::string too_large = "larger than " + std::to_string(kMaxProfileBytes) + " bytes";
  if (static_cast<uint64_t>(st.st_size) > kMaxProfileBytes) return tl::unexpected(FileError(path, too_large, 0));
  std::string text;
  char chunk[16384];
  while (true) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return tl::unexpected(FileError(path, "cannot read", errno));
    if (n == 0) break;
    text.append(chunk, static_cast<size_t>(n));
    if (text.size() > kMaxProfileBytes) return tl::unexpected(FileError(path, too_large, 0));  // grew while read
  }
  return text;
}

}  // namespace

Result<BankProfile> LoadBankProfile(const std::string& path) {
  BANKFEED_ASSIGN_OR_RETURN(const std::string text, ReadProfileFile(path));
  return ParseBankProfile(text, path);
}

Result<std::vector<BankProfile>> LoadBankProfiles(const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(directory, ec);
  if (ec) return tl::unexpected(FileError(directory, "cannot read the directory", ec.value()));
  std::vector<std::pair<std::string, std::string>> files;  // stem (the id of a good profile), path
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with('.') || !name.ends_with(".yaml")) continue;  // hidden files and editors' leftovers
    files.emplace_back(name.substr(0, name.size() - 5), it->path().string());
  }
  if (ec) return tl::unexpected(FileError(directory, "cannot read the directory", ec.value()));
  std::sort(files.begin(), files.end());
  std::vector<BankProfile> profiles;
  profiles.reserve(files.size());
  for (const auto& [stem, file] : files) {
    BANKFEED_ASSIGN_OR_RETURN(BankProfile profile, LoadBankProfile(file));
    profiles.push_back(std::move(profile));
  }
  return profiles;
}

}  // namespace bankfeed
