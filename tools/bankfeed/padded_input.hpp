// Reading a response body for `bankfeed normalize` so that it is held once in memory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "bankfeed/normalize.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::cli {

// The whole of a file, or of standard input for "-", with bankfeed::kBodyPadding readable bytes past its end, so that
// NormalizeTransactionsTo parses it in place, without a second copy of the body.
// - A regular file (or standard input redirected from one) is mapped into memory read-only: its pages are the page
//   cache's own, neither zero-filled nor copied. The padding is zero pages mapped after it. A file truncated by
//   another process while it is mapped would make reading it fault: the command catches that fault and exits 66
//   with a message (ArmTruncatedInputHandler).
// - A pipe, or a file that cannot be mapped, is read into a buffer that grows as it reads.
class PaddedInput {
 public:
  // kNotFound when the input cannot be opened or read; the message never holds the body.
  static Result<PaddedInput> Read(const std::string& path);

  PaddedInput(PaddedInput&& other) noexcept;
  PaddedInput& operator=(PaddedInput&& other) = delete;
  PaddedInput(const PaddedInput&) = delete;
  PaddedInput& operator=(const PaddedInput&) = delete;
  ~PaddedInput();

  std::string_view bytes() const { return map_ != nullptr ? std::string_view(map_, size_) : std::string_view(buffer_); }
  PaddedBody padded() const { return PaddedBody{bytes()}; }
  bool mapped() const { return map_ != nullptr; }

 private:
  PaddedInput() = default;

  std::string buffer_;         // read: its capacity leaves the padding
  const char* map_ = nullptr;  // mapped: map_length_ bytes, the file's size_ and then zero pages
  size_t map_length_ = 0;
  size_t size_ = 0;
};

// A SIGBUS while a mapped input is read (the file shrank under the command) ends the process with exit status 66
// (unreadable input) and one line on stderr, instead of a crash. A SIGBUS at any other address is left to the
// default action. When `restore_fd` is not -1, that file is first
// truncated back to `restore_length` (standard output, a regular file: a failed run leaves it as it was). Calling it
// again replaces the previous values.
void ArmTruncatedInputHandler(int restore_fd = -1, long long restore_length = -1);

}  // namespace bankfeed::cli
