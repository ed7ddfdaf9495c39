// Output too large to build in memory (normalize's rows), written to a descriptor in fixed-size blocks.
//
// Rows are appended straight into the pending block (no copy per row); when it reaches kBlockBytes it is written
// with write(2). What a run that fails leaves behind, after Abandon():
//   - on a regular file, the file is truncated back to the length it had when the writer was made (and its offset
//     moved there), so bad data leaves it as it was;
//   - on a pipe or a terminal, blocks already written stay (the reader sees a prefix of whole rows, and the exit
//     status tells it that the run failed); the pending block is dropped, so a failure before the first
//     kBlockBytes of output leaves nothing at all.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>

namespace bankfeed::cli {

class BlockWriter {
 public:
  static constexpr size_t kBlockBytes = 256 << 10;

  explicit BlockWriter(int fd);
  BlockWriter(const BlockWriter&) = delete;
  BlockWriter& operator=(const BlockWriter&) = delete;

  // The pending block: append whole rows here, then call Appended().
  std::string& pending() { return pending_; }
  // Writes the pending block once it holds kBlockBytes or more. False on a write error (e.g. a closed pipe).
  bool Appended() { return pending_.size() < kBlockBytes || WritePending(); }
  // Writes what is pending. False on a write error.
  bool Finish() { return WritePending(); }
  // The run failed: drops the pending block and, on a regular file, truncates it back to where it started.
  // False when the truncation itself failed.
  bool Abandon();
  // A regular file's length when the writer was made (what Abandon() truncates back to); nullopt on a pipe.
  std::optional<off_t> start_length() const { return start_length_; }

 private:
  bool WritePending();

  int fd_;
  std::string pending_;
  std::optional<off_t> start_length_;  // a regular file's length when the run started
};

}  // namespace bankfeed::cli
