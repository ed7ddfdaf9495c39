// Small scope guards shared by the core: a file descriptor closed on exit, and a secret string wiped on exit.
#pragma once

#include <unistd.h>

#include <openssl/crypto.h>

#include <string>

namespace bankfeed {

// Owns a file descriptor (or -1) and closes it when the scope ends.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Wipes a string holding a secret (a key's text, a grant's JSON, a PSU id) when the scope ends. Read secrets straight
// into their final string and never move it: a moved short string leaves its bytes in the old inline buffer.
class WipeOnExit {
 public:
  explicit WipeOnExit(std::string& s) : s_(s) {}
  ~WipeOnExit() { OPENSSL_cleanse(s_.data(), s_.size()); }
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;

 private:
  std::string& s_;
};

}  // namespace bankfeed
