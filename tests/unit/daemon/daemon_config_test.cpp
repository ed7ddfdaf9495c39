// The daemon: section of bankfeed.yaml: a good file loads; every mistake is a kConfig error naming the file, line
// and key, and never a value.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "daemon/src/daemon_config.hpp"

namespace bankfeed::daemon {
namespace {

namespace fs = std::filesystem;

constexpr char kClient[] =
    "tpp:\n  qwac: {certificate_file: q.pem, key_file: q.key}\n  qseal: {certificate_file: s.pem, key_file: s.key}\n"
    "profiles_dir: profiles\nstore: {path: feed.db, key_file: keys}\n";
const std::string kHash(64, 'a');

class DaemonConfigTest : public ::testing::Test {
 protected:
  Result<DaemonConfig> Load(const std::string& daemon_yaml) {
    dir_ = fs::temp_directory_path() / ("bankfeed-daemon-config-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "bankfeed.yaml") << kClient << daemon_yaml;
    return LoadDaemonConfig((dir_ / "bankfeed.yaml").string());
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(DaemonConfigTest, AGoodFileLoadsWithDefaultsAndRelativePaths) {
  auto c = Load("daemon:\n  tenants:\n    - {id: acme, token_sha256: [" + kHash + "]}\n");
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_EQ(c->unix_socket, (dir_ / "bankfeedd.sock").string());
  EXPECT_EQ(c->socket_mode, 0600u);
  ASSERT_EQ(c->tenants.size(), 1u);
  EXPECT_EQ(c->tenants[0].id, "acme");
  EXPECT_EQ(c->tenants[0].token_hashes[0][0], 0xaa);
  EXPECT_TRUE(c->scheduler.enabled);
  EXPECT_EQ(c->log.level, LogLevel::kInfo);
  EXPECT_TRUE(c->tcp.address.empty());
  EXPECT_TRUE(c->metrics_address.empty());
  EXPECT_EQ(c->streams_per_tenant, 32);
  EXPECT_EQ(c->forget_wait_seconds, 10);
  EXPECT_EQ(c->refusal_log_seconds, 60);
  auto limits = Load("daemon:\n  tenants:\n    - {id: acme, token_sha256: [" + kHash +
                     "]}\n  limits: {forget_wait_seconds: 0, shutdown_grace_seconds: 3}\n");
  ASSERT_TRUE(limits) << limits.error().ToString();
  EXPECT_EQ(limits->forget_wait_seconds, 0);  // do not wait: a busy consent is UNAVAILABLE at once
  EXPECT_EQ(limits->shutdown_grace_seconds, 3);
}

TEST_F(DaemonConfigTest, TheHashOfATokenIsItsSha256) {
  EXPECT_EQ(HashTokenHex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

struct BadCase {
  std::string yaml;
  std::string expected;  // a part of the error message
};

TEST_F(DaemonConfigTest, MistakesAreConfigErrorsNamingTheKeyNotTheValue) {
  const std::string tenant = "  tenants:\n    - {id: acme, token_sha256: [" + kHash + "]}\n";
  const std::vector<BadCase> cases = {
      {"", "daemon: missing"},
      {"daemon:\n  unix_socket: x.sock\n", "daemon.tenants: expected at least one tenant"},
      {"daemon:\n  tenants:\n    - {id: acme, token_sha256: [s3cr3t-token-value]}\n",
       "daemon.tenants[0].token_sha256[0]: expected a SHA-256"},
      {"daemon:\n  tenants:\n    - {id: acme, token: s3cr3t-token-value, token_sha256: [" + kHash + "]}\n",
       "tokens are never written in the configuration"},
      {"daemon:\n  tenants:\n    - {id: Acme!, token_sha256: [" + kHash + "]}\n", "daemon.tenants[0].id: expected"},
      {"daemon:\n  tenants:\n    - {id: acme}\n", "expected token_sha256 or client_certificate_sha256"},
      {"daemon:\n" + tenant + "    - {id: acme, token_sha256: [" + kHash + "]}\n", "another tenant has this id"},
      {"daemon:\n  socket_mode: \"0666\"\n" + tenant, "daemon.socket_mode: expected an octal mode"},
      {"daemon:\n  tcp: {address: 0.0.0.0:7443}\n" + tenant, "a TCP listener needs TLS"},
      {"daemon:\n  tcp: {address: nowhere, certificate_file: a, key_file: b}\n" + tenant, "daemon.tcp.address"},
      {"daemon:\n  metrics: 0.0.0.0:9464\n" + tenant, "daemon.metrics: expected a loopback address"},
      {"daemon:\n  scheduler: {tick_seconds: 0}\n" + tenant, "daemon.scheduler.tick_seconds"},
      {"daemon:\n  log: {level: loud}\n" + tenant, "daemon.log.level: expected one of"},
      // One spelling of each level: the one the log lines carry.
      {"daemon:\n  log: {level: warning}\n" + tenant,
       "daemon.log.level: expected one of trace, debug, info, warn, error, off"},
      {"daemon:\n  log: {refusal_interval_seconds: 0}\n" + tenant, "daemon.log.refusal_interval_seconds"},
      {"daemon:\n  limits: {forget_wait_seconds: -1}\n" + tenant, "daemon.limits.forget_wait_seconds"},
      {"daemon:\n  listen: /tmp/x\n" + tenant, "unknown key"},
  };
  for (const BadCase& bad : cases) {
    auto c = Load(bad.yaml);
    ASSERT_FALSE(c) << bad.yaml;
    EXPECT_EQ(c.error().code, ErrorCode::kConfig);
    EXPECT_NE(c.error().message.find(bad.expected), std::string::npos) << c.error().message << "\n" << bad.yaml;
    EXPECT_NE(c.error().message.find("bankfeed.yaml"), std::string::npos) << c.error().message;
    EXPECT_EQ(c.error().message.find("s3cr3t"), std::string::npos) << c.error().message;
  }
}

}  // namespace
}  // namespace bankfeed::daemon
