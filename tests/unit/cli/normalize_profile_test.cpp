// `bankfeed normalize --profile FILE`: the profile's value quirks and time zone apply, its standard stands in for
// --standard, a contradicting --standard is a usage error naming both, and a bad profile is its loader's error.
#include <gtest/gtest.h>

#include <filesystem>

#include "unit/temp_store.hpp"
#include "unit/test_util.hpp"

namespace bankfeed::testing::normalize_profile_test {
namespace {

namespace fs = std::filesystem;

const std::string kCli = BANKFEED_CLI;

// A STET bank that writes dates day first and groups amounts' digits with ',' (quirks), in Paris time.
constexpr const char* kDayFirstProfile = R"(id: day-first-bank
name: Day First Bank
standard: stet
standard_version: "1.4.2"
base_url: https://api.day-first.example
timezone: Europe/Paris
quirks:
  date_order: day-first
  thousands_separator: true
)";

// Day-first dates, a grouped amount, and a date-time without an offset.
constexpr const char* kStetBody =
    R"({"transactions":[{"transactionAmount":{"currency":"EUR","amount":"1,234.50"},"creditDebitIndicator":"DBIT",)"
    R"("status":"BOOK","bookingDate":"15/11/2019","valueDate":"12-02-2018","transactionDate":"2019-11-14T10:00:00"}]})";

class NormalizeProfile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir("normalize-profile");
    profile_ = (dir_ / "day-first-bank.yaml").string();
    WriteFile(profile_, kDayFirstProfile);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static ProcessResult Normalize(const std::vector<std::string>& extra, const std::string& stdin_data) {
    std::vector<std::string> argv = {kCli, "normalize", "--kind", "transactions"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back("-");
    return RunProcess(argv, stdin_data);
  }

  fs::path dir_;
  std::string profile_;
};

TEST_F(NormalizeProfile, AppliesDayFirstDatesAndTheThousandsSeparator) {
  auto r = Normalize({"--profile", profile_}, kStetBody);  // --standard comes from the profile
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(R"("amount":"-1234.50","currency":"EUR")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("booking_date":"2019-11-15","value_date":"2018-02-12")"), std::string::npos) << r.out;

  auto without = Normalize({"--standard", "stet"}, kStetBody);
  EXPECT_EQ(without.exit_code, 65) << "without the profile, neither value is accepted";
  EXPECT_EQ(without.out, "");
}

TEST_F(NormalizeProfile, AppliesItsTimeZoneUnlessTimezoneIsGiven) {
  const std::string body =
      R"({"transactions":[{"transactionAmount":{"currency":"EUR","amount":"5.00"},"creditDebitIndicator":"CRDT",)"
      R"("status":"BOOK","bookingDate":"2024-01-15T10:00:00"}]})";
  auto paris = Normalize({"--profile", profile_, "--standard", "stet"}, body);  // an agreeing --standard is fine
  EXPECT_EQ(paris.exit_code, 0) << paris.err;
  EXPECT_NE(paris.out.find(R"("booking_datetime":"2024-01-15T09:00:00Z")"), std::string::npos) << paris.out;
  auto london = Normalize({"--profile", profile_, "--timezone", "Europe/London"}, body);
  EXPECT_EQ(london.exit_code, 0) << london.err;
  EXPECT_NE(london.out.find(R"("booking_datetime":"2024-01-15T10:00:00Z")"), std::string::npos) << london.out;
}

TEST_F(NormalizeProfile, ContradictingStandardIsAUsageErrorNamingBoth) {
  auto r = Normalize({"--profile", profile_, "--standard", "berlin-group"}, kStetBody);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "--standard berlin-group contradicts the profile's standard stet (" + profile_ + ")\n");
}

TEST_F(NormalizeProfile, NeitherStandardNorProfileIsAUsageError) {
  auto r = Normalize({}, kStetBody);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "--standard is required without --profile\n");
}

TEST_F(NormalizeProfile, BadProfileGivesTheLoadersErrorAndExit78) {
  WriteFile(profile_, std::string(kDayFirstProfile) + "  date_order_typo: day-first\n");
  auto r = Normalize({"--profile", profile_}, kStetBody);
  EXPECT_EQ(r.exit_code, 78) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("config: " + profile_ + ":10:3: quirks.date_order_typo: unknown key", 0), 0u) << r.err;

  auto missing = Normalize({"--profile", (dir_ / "absent.yaml").string()}, kStetBody);
  EXPECT_EQ(missing.exit_code, 78);
  EXPECT_NE(missing.err.find("absent.yaml: cannot open"), std::string::npos) << missing.err;
}

// A STET amount without a currency takes the account's, given with --account-currency; without it, it is refused.
TEST_F(NormalizeProfile, AccountCurrencyForStetAmountsWithoutOne) {
  const std::string body = R"({"transactions":[{"transactionAmount":{"amount":"3.10"},"creditDebitIndicator":"DBIT",)"
                           R"("status":"BOOK","bookingDate":"2019-11-15"}]})";
  auto refused = Normalize({"--standard", "stet"}, body);
  EXPECT_EQ(refused.exit_code, 65);
  EXPECT_NE(refused.err.find("transactions[0].transactionAmount.currency: missing currency"), std::string::npos)
      << refused.err;
  auto taken = Normalize({"--standard", "stet", "--account-currency", "EUR"}, body);
  ASSERT_EQ(taken.exit_code, 0) << taken.err;
  EXPECT_NE(taken.out.find(R"("amount":"-3.10","currency":"EUR")"), std::string::npos) << taken.out;
  auto bad = Normalize({"--standard", "stet", "--account-currency", "EURO"}, body);
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
}  // namespace bankfeed::testing::normalize_profile_test
