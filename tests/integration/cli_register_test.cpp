// `bankfeed register` as a user runs it against the UK sandbox bank (issue 20): dynamic client registration keeps the
// client id the bank issued in the configuration's registrations folder (mode 0600), where the bank's connections
// find it; --update replaces the registration's metadata at the bank, --delete ends it there and here. Bad input
// exits with the CLI's code for it (tools/bankfeed/commands.hpp) and a message naming the problem, writes nothing,
// and nothing printed holds the software statement, a signed request or a key.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "bankfeed/client.hpp"
#include "integration/cli_workspace.hpp"
#include "integration/sandbox_fixture.hpp"

namespace bankfeed::testing::cli_register {  // a namespace of its own: the tests are compiled in batches
namespace {

namespace fs = std::filesystem;

constexpr char kRegisterBank[] = "uk-bank";
constexpr char kRegistered[] = "registered at uk-bank: client id ";

int FileMode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : -1;
}

class CliRegister : public SandboxTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartBank(ScenarioYaml(1, 0, "", "uk-ob")));
    workspace_ = std::make_unique<CliWorkspace>(
        "cli-register-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()), pki_,
        bank().BaseUrl(), "");
    workspace_->AddUkProfile(kRegisterBank, bank().BaseUrl(), 90);
    ssa_ = SoftwareStatement();
    ASSERT_EQ(std::count(ssa_.begin(), ssa_.end(), '.'), 2) << "a signed JWT";
    ssa_file_ = Write("ssa.jwt", ssa_ + "\n");
  }

  std::string Write(const std::string& name, const std::string& text) const {
    const std::string path = workspace_->dir() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  std::string registrations() const { return workspace_->dir() + "/registrations"; }
  std::string registration_file() const { return registrations() + "/uk-bank.json"; }

  // The registration as the bank's connections read it.
  Result<ClientRegistration> Saved() const {
    auto config = LoadClientConfig(workspace_->config());
    if (!config) return tl::unexpected(config.error());
    return LoadRegistration(*config, kRegisterBank);
  }

  // Nothing the command printed holds the software statement (its claims or its signature), another JWT (the signed
  // registration request, a client assertion: each starts "eyJ") or a private key.
  void ExpectNoSecret(const CliResult& r) const {
    const std::string printed = r.out + r.err;
    const size_t first = ssa_.find('.'), last = ssa_.rfind('.');
    EXPECT_EQ(printed.find(ssa_.substr(first + 1, 24)), std::string::npos) << printed;
    EXPECT_EQ(printed.find(ssa_.substr(last + 1, 24)), std::string::npos) << printed;
    EXPECT_EQ(printed.find("eyJ"), std::string::npos) << printed;
    EXPECT_EQ(printed.find("PRIVATE KEY"), std::string::npos) << printed;
  }

  std::unique_ptr<CliWorkspace> workspace_;
  std::string ssa_, ssa_file_;
};

TEST_F(CliRegister, RegisterUpdateAndDeleteAsAUserRunsThem) {
  CliResult r = workspace_->Run({"register", "--bank", kRegisterBank, "--ssa", ssa_file_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectNoSecret(r);
  ASSERT_EQ(r.out.rfind(kRegistered, 0), 0u) << r.out;
  const std::string client_id = r.out.substr(sizeof kRegistered - 1, r.out.find('\n') - (sizeof kRegistered - 1));
  ASSERT_FALSE(client_id.empty());
  EXPECT_EQ(r.out, kRegistered + client_id + "\n");
  EXPECT_EQ(FileMode(registration_file()), 0600);
  auto saved = Saved();
  ASSERT_TRUE(saved) << saved.error().ToString();
  EXPECT_EQ(saved->client_id, client_id);
  EXPECT_EQ(saved->token_endpoint_auth_method, "private_key_jwt");
  EXPECT_EQ(saved->redirect_uris, std::vector<std::string>{"https://tpp.example/callback"}) << "tpp.redirect_uri";
  EXPECT_EQ(ReadFileText(registration_file()).find("eyJ"), std::string::npos) << "the SSA is not kept";

  // The bank's connections use the client id: a consent starts at the bank under it.
  r = workspace_->Run({"consent", "start", "--bank", kRegisterBank, "--psu", "psu-1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("/as/authorize?client_id=" + client_id + "&"), std::string::npos) << r.out;

  // --update: new metadata for the same client, the file replaced and still 0600.
  r = workspace_->Run({"register", "--bank", kRegisterBank, "--ssa", ssa_file_, "--update", "--redirect-uri",
                       "https://tpp.example/callback", "--redirect-uri", "https://tpp.example/other"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectNoSecret(r);
  EXPECT_EQ(r.out, kRegistered + client_id + "\n") << "the same client";
  EXPECT_EQ(FileMode(registration_file()), 0600);
  saved = Saved();
  ASSERT_TRUE(saved) << saved.error().ToString();
  EXPECT_EQ(saved->client_id, client_id);
  EXPECT_EQ(saved->redirect_uris,
            (std::vector<std::string>{"https://tpp.example/callback", "https://tpp.example/other"}));

  // --delete: ended at the bank, and the file gone.
  const std::string kept = ReadFileText(registration_file());
  r = workspace_->Run({"register", "--bank", kRegisterBank, "--delete"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectNoSecret(r);
  EXPECT_EQ(r.out, "registration at uk-bank deleted\n");
  EXPECT_FALSE(fs::exists(registration_file()));
  r = workspace_->Run({"register", "--bank", kRegisterBank, "--delete"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("bank uk-bank: not registered"), std::string::npos) << r.err;
  // The bank forgot the client: its id, put back here, is refused at the token endpoint.
  std::ofstream(registration_file()) << kept;
  r = workspace_->Run({"register", "--bank", kRegisterBank, "--ssa", ssa_file_, "--update"});
  EXPECT_EQ(r.exit_code, 77) << r.err;
  EXPECT_NE(r.err.find("invalid_client"), std::string::npos) << r.err;
  ExpectNoSecret(r);
}

TEST_F(CliRegister, BadInputExitsWithItsCodeNamingTheProblemAndWritesNothing) {
  const auto refused = [&](std::vector<std::string> args, int code, const std::string& names) {
    SCOPED_TRACE(names);
    const CliResult r = workspace_->Run(std::move(args));
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_NE(r.err.find(names), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    ExpectNoSecret(r);
    EXPECT_FALSE(fs::exists(registrations())) << "nothing kept";
    return r;
  };
  // The SSA file: missing (66, no input), not given (2, usage), not a JWT (2; its text is not repeated).
  refused({"register", "--bank", kRegisterBank, "--ssa", workspace_->dir() + "/missing.jwt"}, 66, "--ssa: cannot read");
  refused({"register", "--bank", kRegisterBank}, 2, "--ssa: required");
  const std::string text = "a-statement-that-is-no-jwt-5f3a9c";
  const CliResult not_jwt =
      refused({"register", "--bank", kRegisterBank, "--ssa", Write("not-a-jwt.txt", text + "\n")}, 2,
              "software statement: not a signed JWT");
  EXPECT_EQ(not_jwt.err.find(text), std::string::npos) << not_jwt.err;
  // A JWT whose signature the bank's check refuses: 2, with the bank's error code.
  std::string tampered = ssa_;
  char& c = tampered[ssa_.rfind('.') + 10];
  c = c == 'A' ? 'B' : 'A';
  const int64_t bad_before = stats().bad_registration.load();
  refused({"register", "--bank", kRegisterBank, "--ssa", Write("tampered.jwt", tampered)}, 2,
          "register: the bank answered HTTP 400 invalid_software_statement");
  EXPECT_EQ(stats().bad_registration.load(), bad_before + 1);
  // A bank whose standard has no client registration (the workspace's Berlin Group bank): 78, configuration.
  refused({"register", "--bank", "test-bank", "--ssa", ssa_file_}, 78,
          "berlin-group banks do not register clients dynamically");
  // A bank id that is no profile id: 2.
  refused({"register", "--bank", "../uk-bank", "--ssa", ssa_file_}, 2, "bank id: expected a profile id");
  // --update and --delete need a registration first; both at once is bad usage.
  refused({"register", "--bank", kRegisterBank, "--ssa", ssa_file_, "--update"}, 2, "bank uk-bank: not registered");
  refused({"register", "--bank", kRegisterBank, "--delete"}, 2, "bank uk-bank: not registered");
  refused({"register", "--bank", kRegisterBank, "--ssa", ssa_file_, "--update", "--delete"}, 2, "--delete");
}

}  // namespace
}  // namespace bankfeed::testing::cli_register
