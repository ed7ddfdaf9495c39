// Child processes for the benchmarks that measure a real command: wall time, peak RSS (wait4's rusage) and what the
// child printed. Plus a temporary directory removed with its files.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace bankfeed::bench {

enum class ChildStdout {
  kInherit,     // the bench's own stdout
  kDevNull,     // discarded by the kernel: what is measured is the command alone
  kCountLines,  // a pipe; ChildRun::lines counts its '\n'
  kCapture,     // a pipe; ChildRun::out holds it
};

struct ChildRun {
  int exit_code = -1;  // -1 when it did not exit normally (a signal) or could not be started
  double seconds = 0;  // wall time from fork to wait4
  long peak_rss_kib = 0;
  size_t lines = 0;
  std::string out;
};

// Runs argv (argv[0] looked up in PATH when it has no '/'); stderr is the bench's own.
ChildRun RunChild(const std::vector<std::string>& argv, ChildStdout stdout_mode);

// mkdtemp under $TMPDIR (default /tmp); removed with what it holds when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace bankfeed::bench
