// The logging layer's redaction rules: secrets and personal data never reach a sink.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "log/log.hpp"

namespace bankfeed::log {
namespace {

TEST(Redact, SensitiveKeysLoseTheirValue) {
  for (const char* key : {"Authorization", "access_token", "refresh_token", "client_secret", "password", "key",
                          "private_key", "PSU-ID", "iban", "creditor_name", "body", "x-jws-signature", "code"}) {
    EXPECT_EQ(Redact(key, "anything at all"), "[redacted]") << key;
  }
}

TEST(Redact, UrlsLoseTheirQueryString) {
  EXPECT_EQ(ScrubValue("https://bank.example/v1/accounts/a1/transactions?dateFrom=2025-01-01&psu=42"),
            "https://bank.example/v1/accounts/a1/transactions?[redacted]");
}

TEST(Redact, IbansAreMaskedWhereverTheyAppear) {
  EXPECT_EQ(ScrubValue("DE89370400440532013000"), "[iban]");
  EXPECT_EQ(ScrubValue("to DE89 3704 0044 0532 0130 00 today"), "to [iban] today");
  EXPECT_EQ(ScrubValue("https://bank.example/accounts/GB33BUKB20201555555555/balances"),
            "https://bank.example/accounts/[iban]/balances");
}

TEST(Redact, TokensJwtsAndPemBlocksAreMasked) {
  EXPECT_EQ(ScrubValue("Bearer abc.def-ghi"), "Bearer [redacted]");
  EXPECT_EQ(ScrubValue("eyJhbGciOiJQUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlMTIzNDU2Nzg5"), "[redacted]");
  EXPECT_EQ(ScrubValue("-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----"), "[redacted pem]");
  EXPECT_EQ(ScrubValue("key Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MA== end"), "key [redacted] end");
}

TEST(Redact, IdsAndOrdinaryTextStay) {
  EXPECT_EQ(ScrubValue("tx_0123456789abcdef0123456789abcdef"), "tx_0123456789abcdef0123456789abcdef");
  EXPECT_EQ(ScrubValue("3f2b8c1e-9a7d-4c1b-8e2f-0a1b2c3d4e5f"), "3f2b8c1e-9a7d-4c1b-8e2f-0a1b2c3d4e5f");
  EXPECT_EQ(ScrubValue("GET https://bank.example/v1/accounts: connection refused"),
            "GET https://bank.example/v1/accounts: connection refused");
}

}  // namespace
}  // namespace bankfeed::log

namespace bankfeed {
namespace {

TEST(Logging, FileIsPrivateAndEveryLineIsRedactedJson) {
  const std::string path = ::testing::TempDir() + "/bankfeed-log-test-" + std::to_string(::getpid()) + ".log";
  std::remove(path.c_str());
  ASSERT_TRUE(ConfigureLogging({LogLevel::kDebug, path}));
  log::Info("consent.created", {{"bank", "testbank"},
                                {"access_token", "eyJhbGciOiJQUzI1NiJ9.secretpart"},
                                {"url", "https://bank.example/v1/consents?psu=42"},
                                {"accounts", 3}});
  log::Debug("http.response", {{"status", 200}, {"iban", "DE89370400440532013000"}});
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(all.find(R"("event":"consent.created","bank":"testbank","access_token":"[redacted]",)"
                     R"("url":"https://bank.example/v1/consents?[redacted]","accounts":3})"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find(R"("event":"http.response","status":200,"iban":"[redacted]"})"), std::string::npos) << all;
  EXPECT_EQ(all.find("secretpart"), std::string::npos);
  EXPECT_EQ(all.find("DE89"), std::string::npos);
  std::remove(path.c_str());
}

// One spelling per level, the configuration's: "warn" (spdlog's own name for it is "warning").
TEST(Logging, EachLevelIsWrittenWithTheSpellingTheConfigurationUses) {
  const std::string path = ::testing::TempDir() + "/bankfeed-log-levels-" + std::to_string(::getpid()) + ".log";
  std::remove(path.c_str());
  ASSERT_TRUE(ConfigureLogging({LogLevel::kDebug, path}));
  log::Debug("e.debug");
  log::Info("e.info");
  log::Warn("e.warn");
  log::Error("e.error");
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const char* level : {"debug", "info", "warn", "error"}) {
    EXPECT_NE(all.find(std::string(R"("level":")") + level + R"(","event":"e.)" + level + "\"}"), std::string::npos)
        << all;
  }
  EXPECT_EQ(all.find("warning"), std::string::npos) << all;
  std::remove(path.c_str());
}

TEST(Logging, LevelFiltersAndAnUnwritableFileIsAConfigError) {
  auto bad = ConfigureLogging({LogLevel::kInfo, "/nonexistent-dir/x.log"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kConfig);
  ASSERT_TRUE(ConfigureLogging({LogLevel::kWarn, ""}));
  EXPECT_FALSE(log::Enabled(LogLevel::kInfo));
  EXPECT_TRUE(log::Enabled(LogLevel::kError));
}

}  // namespace
}  // namespace bankfeed

namespace bankfeed {
namespace {

// Under ctest every test process logs into BANKFEED_LOG_DIR, where no_secrets_in_logs looks. If this broke, that
// check would pass on nothing.
TEST(Logging, SuiteLogsLandWhereThisCheckLooks) {
  const char* dir = std::getenv("BANKFEED_LOG_DIR");
  if (dir == nullptr) GTEST_SKIP() << "not under ctest";
  log::Warn("test.marker", {{"bank", "testbank"}});
  std::ifstream in(std::string(dir) + "/" + std::to_string(::getpid()) + ".log");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(all.find(R"("event":"test.marker","bank":"testbank")"), std::string::npos) << all;
}

}  // namespace
}  // namespace bankfeed
