// `bankfeed normalize` as a process: exit codes, stdout/stderr discipline (DESIGN.md §4).
#include <gtest/gtest.h>

#include "unit/test_util.hpp"

namespace bankfeed::testing {
namespace {

const std::string kCli = BANKFEED_CLI;
const std::string kExamples = std::string(BANKFEED_SOURCE_DIR) + "/specs/openapi/berlin-group/examples/";

ProcessResult Normalize(const std::vector<std::string>& extra, const std::string& stdin_data = "") {
  std::vector<std::string> argv = {kCli, "normalize"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return RunProcess(argv, stdin_data);
}

TEST(NormalizeCli, FileInputGivesJsonLines) {
  auto r = Normalize({"--standard", "berlin-group", "--kind", "transactions",
                      kExamples + "getTransactionList__200-example-1.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3);
  EXPECT_EQ(r.out.rfind("{\"id\":\"tx_", 0), 0u);
}

TEST(NormalizeCli, StdinInputAndAccountId) {
  auto r = Normalize({"--standard", "berlin-group", "--kind", "balances", "--account-id", "acc-9", "-"},
                     R"({"balances":[{"balanceAmount":{"currency":"JPY","amount":"1500"},"balanceType":"expected"}]})");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, R"({"type":"XPCD","bank_type":"expected","account_id":"acc-9","amount":"1500","currency":"JPY",)"
                   R"("credit_limit_included":null,"reference_date":null,"last_change_datetime":null})"
                   "\n");
}

TEST(NormalizeCli, BadDataExits65WithOneLineAndNoStdout) {
  // The bad row comes after a good one: the good row is still in the pending output block, which a failed run
  // drops, so nothing reaches stdout (normalize_stream_test.cpp: what a failure after whole blocks leaves).
  auto r = Normalize({"--standard", "berlin-group", "--kind", "transactions"},
                     R"({"transactions":{"booked":[{"transactionAmount":{"currency":"EUR","amount":"1"}},)"
                     R"({"transactionAmount":{"currency":"EUR","amount":"1e3"}}]}})");
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "transactions.booked[1].transactionAmount.amount: not a decimal (exponents are not allowed)\n");
}

TEST(NormalizeCli, TruncatedJsonExits65) {
  auto r = Normalize({"--standard", "uk-ob", "--kind", "transactions"}, R"({"Data":{"Transaction":[{"Amount")");
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

TEST(NormalizeCli, UsageErrorsExit2) {
  EXPECT_EQ(Normalize({"--standard", "swift", "--kind", "transactions"}).exit_code, 2);
  EXPECT_EQ(Normalize({"--standard", "stet"}).exit_code, 2);
  EXPECT_EQ(Normalize({"--standard", "stet", "--kind", "payments"}).exit_code, 2);
  auto r = Normalize({"--standard", "stet", "--kind", "transactions", "--timezone", "Nowhere/Atlantis"}, "{}");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(RunProcess({kCli}).exit_code, 2) << "a subcommand is required";
  EXPECT_EQ(RunProcess({kCli, "--help"}).exit_code, 0);
}

TEST(NormalizeCli, UnreadableInputExits66) {
  auto r = Normalize({"--standard", "stet", "--kind", "transactions", "/nonexistent/body.json"});
  EXPECT_EQ(r.exit_code, 66);
  EXPECT_EQ(r.out, "");
}

TEST(NormalizeCli, TimezoneAppliesToDateTimesWithoutOffset) {
  auto r = Normalize({"--standard", "berlin-group", "--kind", "transactions", "--timezone", "Europe/Berlin"},
                     R"({"transactions":{"booked":[{"transactionAmount":{"currency":"EUR","amount":"-1"},)"
                     R"("bookingDate":"2024-01-15T10:00:00"}]}})");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(R"("booking_date":"2024-01-15")"), std::string::npos);
  EXPECT_NE(r.out.find(R"("booking_datetime":"2024-01-15T09:00:00Z")"), std::string::npos);
}

}  // namespace
}  // namespace bankfeed::testing
