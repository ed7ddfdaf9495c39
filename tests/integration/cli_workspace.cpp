#include "integration/cli_workspace.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "crypto/keyring.hpp"
#include "integration/sandbox_fixture.hpp"

extern char** environ;

namespace bankfeed::testing {

namespace fs = std::filesystem;

std::string ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

CliWorkspace::CliWorkspace(const std::string& name, const std::string& pki, const std::string& base_url,
                           const std::string& quirks_yaml)
    : dir_((fs::temp_directory_path() / ("bankfeed-" + name + "-" + std::to_string(::getpid()))).string()) {
  fs::remove_all(dir_);
  fs::create_directories(dir_ + "/profiles");
  std::ofstream(dir_ + "/profiles/test-bank.yaml")
      << "id: test-bank\nname: Test bank\nstandard: berlin-group\nstandard_version: \"1.3.11\"\n"
      << "base_url: " << base_url << "\ntimezone: Europe/Berlin\n"
      << "sca:\n  approaches: [redirect, decoupled]\n"
      << "retry:\n  base_delay_ms: 1\n  max_delay_ms: 5\n"
      << "quirks:\n  page_cap: 100\n" << quirks_yaml;
  std::ofstream(dir_ + "/bankfeed.yaml")
      << "tpp:\n  qwac: {certificate_file: " << pki << "/qwac.pem, key_file: " << pki << "/qwac.key}\n"
      << "  qseal: {certificate_file: " << pki << "/qseal.pem, key_file: " << pki << "/qseal.key}\n"
      << "  ca_bundle_file: " << pki << "/ca.pem\n  redirect_uri: https://tpp.example/callback\n"
      << "  qseal_url: " << kQsealUrl << "\n"
      << "profiles_dir: profiles\nstore:\n  path: feed.db\n  key_file: keys\n";
  auto keys = crypto::Keyring::Generate("k1");
  EXPECT_TRUE(keys && keys->WriteKeyFile(dir_ + "/keys"));
}

CliWorkspace::~CliWorkspace() { fs::remove_all(dir_); }

void CliWorkspace::AddUkProfile(const std::string& bank_id, const std::string& origin, int reconfirm_days) const {
  std::ofstream(dir_ + "/profiles/" + bank_id + ".yaml")
      << "id: " << bank_id << "\nname: UK test bank\nstandard: uk-ob\nstandard_version: \"3.1.10\"\n"
      << "base_url: " << origin << "/open-banking/v3.1/aisp\ntimezone: Europe/London\n"
      << "sca:\n  approaches: [oauth2]\n  reconfirm_days: " << reconfirm_days << "\n"
      << "oauth2:\n  issuer: " << origin << "\n  scope: accounts\n  pkce: false\n  client_auth: private_key_jwt\n"
      << "signing:\n  jws:\n    kid: bankfeed-test-qseal\n    issuer: 0015800001041RHAAY/bankfeed-test\n"
      << "retry:\n  base_delay_ms: 1\n  max_delay_ms: 5\n"
      << "quirks:\n  page_cap: 100\n";
}

void CliWorkspace::AddStetProfile(const std::string& bank_id, const std::string& origin) const {
  std::ofstream(dir_ + "/profiles/" + bank_id + ".yaml")
      << "id: " << bank_id << "\nname: STET test bank\nstandard: stet\nstandard_version: \"1.4.2\"\n"
      << "base_url: " << origin << "/stet/v1\ntimezone: Europe/Paris\n"
      << "sca:\n  approaches: [oauth2]\n"
      << "oauth2:\n  authorization_endpoint: " << origin << "/stet/authorize\n  token_endpoint: " << origin
      << "/stet/token\n  revocation_endpoint: " << origin << "/stet/revoke\n  scope: aisp\n"
      << "retry:\n  base_delay_ms: 1\n  max_delay_ms: 5\n"
      << "quirks:\n  page_cap: 100\n";
}

SqliteStoreOptions CliWorkspace::store_options() const {
  SqliteStoreOptions options;
  options.path = dir_ + "/feed.db";
  options.key_file = dir_ + "/keys";
  return options;
}

std::unique_ptr<Store> CliWorkspace::OpenStore() const {
  auto store = OpenSqliteStore(store_options());
  EXPECT_TRUE(store) << store.error().ToString();
  return store ? std::move(*store) : nullptr;
}

pid_t CliWorkspace::Start(std::vector<std::string> args) const {
  args.insert(args.begin(), BANKFEED_CLI);
  args.push_back("--config");
  args.push_back(config());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string out = dir_ + "/cli.out", err = dir_ + "/cli.err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, BANKFEED_CLI, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  EXPECT_EQ(rc, 0);
  return pid;
}

CliResult CliWorkspace::Wait(pid_t pid) const {
  CliResult r;
  int status = 0;
  if (pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  r.out = ReadFileText(dir_ + "/cli.out");
  r.err = ReadFileText(dir_ + "/cli.err");
  return r;
}

}  // namespace bankfeed::testing
