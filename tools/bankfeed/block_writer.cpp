#include "tools/bankfeed/block_writer.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace bankfeed::cli {

BlockWriter::BlockWriter(int fd) : fd_(fd) {
  pending_.reserve(kBlockBytes + (kBlockBytes >> 2));  // one block and the row that fills it, usually
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) start_length_ = st.st_size;
}

bool BlockWriter::WritePending() {
  size_t done = 0;
  while (done < pending_.size()) {
    const ssize_t n = ::write(fd_, pending_.data() + done, pending_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  pending_.clear();  // keeps the capacity: the block is reused
  return true;
}

bool BlockWriter::Abandon() {
  pending_.clear();
  if (!start_length_) return true;
  return ::ftruncate(fd_, *start_length_) == 0 && ::lseek(fd_, *start_length_, SEEK_SET) == *start_length_;
}

}  // namespace bankfeed::cli
