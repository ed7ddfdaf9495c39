#include "support/sandbox_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace bankfeed::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Waits for the child for up to `limit`; true with its status when it exited.
bool WaitFor(pid_t pid, std::chrono::milliseconds limit, int& status) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 || std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int ExitCode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

}  // namespace

Result<std::unique_ptr<SandboxProcess>> SandboxProcess::Start(const SandboxProcessOptions& o) {
  std::unique_ptr<SandboxProcess> p(new SandboxProcess());
  p->stop_timeout_ = o.stop_timeout;
  std::string tmpl = (std::filesystem::temp_directory_path() / "bankfeed-sandbox-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) return MakeError(ErrorCode::kInternal, "sandbox process: mkdtemp failed");
  p->dir_ = tmpl;
  const std::string port_file = p->dir_ + "/port";

  std::vector<std::string> args = {o.binary,       "sandbox",
                                   "--standard",   o.standard,
                                   "--scenario",   o.scenario,
                                   "--listen",     "127.0.0.1:0",
                                   "--cert",       o.pki_dir + "/server.pem",
                                   "--key",        o.pki_dir + "/server.key",
                                   "--client-ca",  o.pki_dir + "/ca.pem",
                                   "--port-file",  port_file};
  args.insert(args.end(), o.extra_args.begin(), o.extra_args.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, (p->dir_ + "/stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, (p->dir_ + "/stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  // The child starts with no blocked signals and default SIGTERM/SIGINT/SIGPIPE, whatever the test runner set.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGTERM, SIGINT, SIGPIPE}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const int rc = ::posix_spawn(&p->pid_, o.binary.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    p->pid_ = -1;
    return MakeError(ErrorCode::kInternal, "sandbox process: cannot start " + o.binary);
  }

  const auto deadline = std::chrono::steady_clock::now() + o.start_timeout;
  while (true) {
    // rename() makes the file appear complete, so any content is the whole port.
    const std::string text = Slurp(port_file);
    if (!text.empty()) {
      p->port_ = std::atoi(text.c_str());
      if (p->port_ > 0) return p;
      return MakeError(ErrorCode::kInternal, "sandbox process: the port file holds no port");
    }
    int status = 0;
    if (::waitpid(p->pid_, &status, WNOHANG) == p->pid_) {
      p->stopped_ = true;
      p->exit_code_ = ExitCode(status);
      return MakeError(ErrorCode::kInternal, "sandbox process: exited with " + std::to_string(p->exit_code_) +
                                                 " before listening: " + p->Stderr());
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return MakeError(ErrorCode::kTimeout, "sandbox process: no port file after " +
                                                std::to_string(o.start_timeout.count()) + " ms: " + p->Stderr());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int SandboxProcess::Stop() {
  if (stopped_ || pid_ <= 0) return exit_code_;
  stopped_ = true;
  int status = 0;
  ::kill(pid_, SIGTERM);
  if (!WaitFor(pid_, stop_timeout_, status)) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
  exit_code_ = ExitCode(status);
  return exit_code_;
}

std::string SandboxProcess::Stdout() const { return Slurp(dir_ + "/stdout"); }
std::string SandboxProcess::Stderr() const { return Slurp(dir_ + "/stderr"); }

SandboxProcess::~SandboxProcess() {
  Stop();
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

}  // namespace bankfeed::testing
