// Consent leases for the SQLite store: an advisory lock (flock) on one file per consent, in a directory beside the
// database ("<database>.locks/<consent handle>", mode 0700 / 0600, empty). flock locks belong to an open file
// description, so two leases conflict whether they are in one process or two, and the kernel drops a lock when its
// holder dies: a crashed sync never leaves a consent locked. The files hold nothing; their names are the random
// consent handles.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/sqlite_store.hpp"

namespace bankfeed::store {
namespace {

class FileLease final : public ConsentLease {
 public:
  explicit FileLease(int fd) : fd_(fd) {}
  ~FileLease() override { ::close(fd_); }  // the only descriptor of its open file: closing it releases the lock
  FileLease(const FileLease&) = delete;
  FileLease& operator=(const FileLease&) = delete;

 private:
  int fd_;
};

tl::unexpected<Error> LockError(const std::string& path, std::string_view what, int error) {
  return MakeError(ErrorCode::kUnavailable,
                   "store: consent lock " + path + ": " + std::string(what) + " (" + std::strerror(error) + ")");
}

}  // namespace

Result<std::unique_ptr<ConsentLease>> SqliteStore::TryLeaseConsent(std::string_view tenant,
                                                                   std::string_view consent_handle) {
  if (tenant.empty()) return MakeError(ErrorCode::kInvalidArgument, "store: tenant is empty");
  if (!IsHandle(consent_handle, "cg_")) {
    return MakeError(ErrorCode::kInvalidArgument, "store: consent handle is not a cg_ handle");
  }
  {
    // Only the tenant's own consents: a caller cannot hold (and so block) another tenant's.
    std::lock_guard lock(mu_);
    BANKFEED_RETURN_IF_ERROR(ConsentByHandle(tenant, consent_handle));
  }
  const std::string dir = LockDir();
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return LockError(dir, "cannot create the directory", errno);
  const std::string path = dir + "/" + std::string(consent_handle);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return LockError(path, "cannot open", errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) return std::unique_ptr<ConsentLease>();  // another holder has it
    return LockError(path, "cannot lock", error);
  }
  return std::make_unique<FileLease>(fd);
}

std::string SqliteStore::LockDir() const { return db_->path() + ".locks"; }

void SqliteStore::RemoveConsentLocks(const std::vector<std::string>& handles) const {
  // Called once the consents' rows are deleted, while ForgetCustomer still holds their leases: a
  // TryLeaseConsent polling meanwhile finds the consent gone before it would open a new file.
  for (const std::string& handle : handles) ::unlink((LockDir() + "/" + handle).c_str());
}

}  // namespace bankfeed::store
