#include "child_process.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace bankfeed::bench {

ChildRun RunChild(const std::vector<std::string>& argv, ChildStdout stdout_mode) {
  const bool piped = stdout_mode == ChildStdout::kCountLines || stdout_mode == ChildStdout::kCapture;
  int fds[2] = {-1, -1};
  if (piped && ::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  ChildRun run;
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (piped) ::dup2(fds[1], STDOUT_FILENO);
    if (stdout_mode == ChildStdout::kDevNull) {
      const int null_fd = ::open("/dev/null", O_WRONLY);
      if (null_fd < 0 || ::dup2(null_fd, STDOUT_FILENO) < 0) ::_exit(127);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  if (piped) {
    ::close(fds[1]);
    char buf[1 << 16];
    while (true) {
      const ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      if (stdout_mode == ChildStdout::kCapture) run.out.append(buf, static_cast<size_t>(n));
      run.lines += static_cast<size_t>(std::count(buf, buf + n, '\n'));
    }
    ::close(fds[0]);
  }
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) return run;
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.peak_rss_kib = usage.ru_maxrss;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/bankfeed-bench-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace bankfeed::bench
