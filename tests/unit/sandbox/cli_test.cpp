// `bankfeed sandbox` as a process: the SandboxProcess helper, exit codes, the one-line scenario error, signals.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>

#include "support/sandbox_process.hpp"
#include "unit/pki/pki_test_util.hpp"
#include "unit/sandbox/sandbox_test_util.hpp"
#include "unit/test_util.hpp"

namespace bankfeed::sandbox {
namespace {

using testing::SandboxProcess;
using testing::SandboxProcessOptions;

std::string PkiDir() {
  const std::string ca = test::Pki("ca.pem");
  return ca.substr(0, ca.rfind('/'));
}

SandboxProcessOptions Options(const std::string& scenario) {
  SandboxProcessOptions o;
  o.binary = BANKFEED_CLI;
  o.scenario = scenario;
  o.pki_dir = PkiDir();
  return o;
}

std::vector<std::string> Args(const std::string& scenario, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{BANKFEED_CLI, "sandbox", "--standard", "berlin-group", "--scenario", scenario,
                                "--cert", test::Pki("server.pem"), "--key", test::Pki("server.key"),
                                "--client-ca", test::Pki("ca.pem")};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(SandboxProcess, StartsServesAndStopsCleanly) {
  SandboxProcessOptions o = Options(std::string(BANKFEED_SOURCE_DIR) + "/specs/sandbox/alpha.yaml");
  o.extra_args = {"--today", "2025-01-31", "--seed", "7"};
  auto bank = SandboxProcess::Start(o);
  ASSERT_TRUE(bank) << bank.error().message;
  EXPECT_GT((*bank)->port(), 0);
  EXPECT_EQ((*bank)->base_url(), "https://127.0.0.1:" + std::to_string((*bank)->port()));

  TransportOptions t;
  t.client_identity = CredentialSource{test::Pki("qwac.pem"), test::Pki("qwac.key"), "", ""};
  t.ca_bundle_file = test::Pki("ca.pem");
  auto client = http::Client::Make(t);
  ASSERT_TRUE(client);
  http::Attempt clock = (*client)->Send({"GET", (*bank)->base_url() + "/sandbox/clock", {}, {}});
  ASSERT_TRUE(clock.response) << clock.response.error().ToString();
  EXPECT_EQ(test::JsonString(clock.response->body, "/today"), "2025-01-31");
  client->reset();  // close the keep-alive connection before the server stops

  EXPECT_EQ((*bank)->Stop(), 0);
  EXPECT_EQ((*bank)->Stdout(), "listening on " + (*bank)->base_url() + "\n");
  EXPECT_EQ((*bank)->Stop(), 0);  // idempotent
}

TEST(SandboxProcess, FailsFastWhenTheChildExits) {
  testing::ScratchDir dir;
  const std::string bad = dir.Write("bad.yaml", "standard: berlin-group\npsus: []\n");
  const auto start = std::chrono::steady_clock::now();
  auto bank = SandboxProcess::Start(Options(bad));
  ASSERT_FALSE(bank);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_NE(bank.error().message.find("exited with 78"), std::string::npos) << bank.error().message;
  EXPECT_NE(bank.error().message.find("psus: expected at least one PSU"), std::string::npos) << bank.error().message;
}

TEST(SandboxCli, InvalidScenarioExits78WithOneLineNamingFileLineColumnAndKey) {
  testing::ScratchDir dir;
  const std::string path = dir.Write(
      "scenario.yaml",
      "standard: berlin-group\npsus:\n  - id: psu-1\n    accounts:\n      - resource_id: a\n"
      "        iban: DE89370400440532013000\n        currency: EUR\n        transactions:\n"
      "          - {id: t1, status: booked, booking_date: 2025-01-32, amount: \"1.00\"}\n");
  const testing::ProcessResult r = testing::RunProcess(Args(path));
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(r.err, path + ":9:52: psus[0].accounts[0].transactions[0].booking_date: expected a date YYYY-MM-DD\n");
  EXPECT_EQ(r.out, "");
}

TEST(SandboxCli, BadArgumentsExit2) {
  const std::string alpha = std::string(BANKFEED_SOURCE_DIR) + "/specs/sandbox/alpha.yaml";
  EXPECT_EQ(testing::RunProcess({BANKFEED_CLI, "sandbox", "--standard", "berlin-group", "--scenario", alpha})
                .exit_code,
            2);  // no --cert/--key/--client-ca
  EXPECT_EQ(testing::RunProcess(Args(alpha, {"--today", "31.01.2025"})).exit_code, 2);
  EXPECT_EQ(testing::RunProcess(Args(alpha, {"--listen", "localhost"})).exit_code, 2);
  std::vector<std::string> stet = Args(alpha);
  stet[3] = "stet";  // a standard with a module, but not the scenario's
  EXPECT_EQ(testing::RunProcess(stet).exit_code, 78);
  EXPECT_EQ(testing::RunProcess(Args("/nonexistent.yaml")).exit_code, 66);
  std::vector<std::string> bad_cert = Args(alpha);
  bad_cert[7] = test::Pki("ca.key");  // a key is not a certificate
  const testing::ProcessResult r = testing::RunProcess(bad_cert);
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.err.find("--cert"), std::string::npos) << r.err;
}

TEST(SandboxCli, SigintStopsWithExit0) {
  SandboxProcessOptions o = Options(std::string(BANKFEED_SOURCE_DIR) + "/specs/sandbox/gamma.yaml");
  auto bank = SandboxProcess::Start(o);
  ASSERT_TRUE(bank) << bank.error().message;
  ASSERT_EQ(::kill((*bank)->pid(), SIGINT), 0);
  int status = 0;
  for (int i = 0; i < 500 && ::waitpid((*bank)->pid(), &status, WNOHANG) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace bankfeed::sandbox
