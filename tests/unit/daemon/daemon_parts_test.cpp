// Parts of the daemon without a server: the scheduler's slots, the quota arithmetic, the metrics text, and the
// error translation into gRPC statuses.
#include <gtest/gtest.h>

#include "daemon/src/grpc_status.hpp"
#include "daemon/src/metrics.hpp"
#include "daemon/src/scheduler.hpp"

namespace bankfeed::daemon {
namespace {

ConsentRecord Consent(int per_day) {
  ConsentRecord c;
  c.handle = "cg_0123456789abcdef01234567";
  c.grant.status = ConsentStatus::kValid;
  c.grant.request.frequency_per_day = per_day;
  return c;
}

AccountRecord Account(std::optional<int64_t> last_attempt, std::optional<int64_t> retry_at = std::nullopt) {
  AccountRecord a;
  a.account.resource_id = "res-1";
  if (last_attempt) a.state.last_attempt = DateTime{*last_attempt, 0, 0};
  if (retry_at) a.state.retry_at = DateTime{*retry_at, 0, 0};
  return a;
}

TEST(Scheduler, AConsentRunsOncePerSlotSpreadOverTheDay) {
  const ConsentRecord c = Consent(4);  // a slot every 6 hours
  const int64_t day = 20000 * 86400;
  const AccountRecord never = Account(std::nullopt);
  EXPECT_TRUE(Due(c, {&never}, day));
  EXPECT_TRUE(Due(c, {}, day));  // no account yet: the first sync lists them
  // After a run, not again in the same slot; the next run is the start of the next slot, within 6 hours.
  const AccountRecord ran = Account(day);
  auto next = NextRun(c, ran, day);
  ASSERT_TRUE(next);
  EXPECT_GT(next->unix_seconds, day);
  EXPECT_LE(next->unix_seconds, day + 6 * 3600);
  EXPECT_FALSE(Due(c, {&ran}, day + 1));
  EXPECT_FALSE(Due(c, {&ran}, next->unix_seconds - 1));
  EXPECT_TRUE(Due(c, {&ran}, next->unix_seconds));
  // Four slots a day: at most four scheduled runs in 24 hours.
  int runs = 0;
  AccountRecord a = Account(std::nullopt);
  for (int64_t t = day; t < day + 86400; t += 60) {
    if (Due(c, {&a}, t)) {
      ++runs;
      a.state.last_attempt = DateTime{t, 0, 0};
    }
  }
  EXPECT_LE(runs, 5);  // the first run may fall in the previous day's last slot
  EXPECT_GE(runs, 4);
}

TEST(Scheduler, RetryAtAndInvalidConsentsHoldARunBack) {
  const ConsentRecord c = Consent(4);
  const int64_t now = 20000 * 86400;
  const AccountRecord waiting = Account(now - 86400, now + 3600);
  EXPECT_FALSE(Due(c, {&waiting}, now));
  EXPECT_EQ(NextRun(c, waiting, now)->unix_seconds, now + 3600);
  ConsentRecord revoked = c;
  revoked.grant.status = ConsentStatus::kRevoked;
  const AccountRecord never = Account(std::nullopt);
  EXPECT_FALSE(Due(revoked, {&never}, now));
  EXPECT_FALSE(NextRun(revoked, never, now));
}

TEST(Quota, LeftIsThePerDayAllowanceMinusTheBusiestEndpointToday) {
  ConsentGrant g;
  g.request.frequency_per_day = 4;
  const Date today{20000};
  g.usage_day = today;
  g.usage["transactions:res-1"] = 3;
  g.usage["balances:res-1"] = 1;
  g.usage["transactions:res-2"] = 4;
  bankfeed::Account account;
  account.resource_id = "res-1";
  EXPECT_EQ(QuotaFor(g, account, today).left, 1);
  EXPECT_EQ(QuotaFor(g, account, today).per_day, 4);
  EXPECT_EQ(QuotaFor(g, account, Date{20001}).left, 4);  // a new bank day
}

TEST(Metrics, PrometheusTextHasTypesCountersAndHistograms) {
  Metrics m;
  m.CountRpc("Feed.Sync", "OK", 0.003);
  m.CountRpc("Feed.Sync", "OK", 0.2);
  m.CountRpc("Feed.Sync", "INVALID_ARGUMENT", 0.001);
  SyncReport report;
  AccountSyncResult ok;
  ok.outcome = SyncOutcome::kOk;
  ok.added = 3;
  AccountSyncResult limited;
  limited.outcome = SyncOutcome::kRateLimited;
  limited.error = Error(ErrorCode::kRateLimited, "slow down");
  report.accounts = {ok, limited};
  m.CountSyncRun("scheduler", report, 1.5);
  m.SetQuota({{"sandbox-alpha", {7, 1}}});
  const std::string text = m.Render();
  EXPECT_NE(text.find("# TYPE bankfeed_rpc_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("bankfeed_rpc_total{method=\"Feed.Sync\",code=\"OK\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("bankfeed_rpc_duration_seconds_bucket{method=\"Feed.Sync\",le=\"0.005\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("bankfeed_rpc_duration_seconds_bucket{method=\"Feed.Sync\",le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("bankfeed_sync_accounts_total{outcome=\"rate_limited\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("bankfeed_sync_errors_total{code=\"rate_limited\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("bankfeed_sync_changes_total{kind=\"added\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("bankfeed_quota_left{bank=\"sandbox-alpha\"} 7\n"), std::string::npos);
  EXPECT_NE(text.find("bankfeed_quota_exhausted_accounts{bank=\"sandbox-alpha\"} 1\n"), std::string::npos);
}

TEST(Metrics, QuarantinedRowsAreAGaugePerBankThatEachSyncUpdates) {
  Metrics m;
  m.SetQuarantined({{{"bank-a", "acc_1"}, 2}, {{"bank-a", "acc_2"}, 1}, {{"bank-b", "acc_3"}, 0}});
  std::string text = m.Render();
  EXPECT_NE(text.find("# TYPE bankfeed_quarantined_rows gauge\n"), std::string::npos) << text;
  EXPECT_NE(text.find("bankfeed_quarantined_rows{bank=\"bank-a\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("bankfeed_quarantined_rows{bank=\"bank-b\"} 0\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("acc_1"), std::string::npos) << "labels name banks only";

  // A sync of acc_1 that fixed its rows, and one that failed on acc_2 (its count is the stored one still).
  SyncReport report;
  AccountSyncResult fixed;
  fixed.bank_id = "bank-a";
  fixed.account.account_id = "acc_1";
  fixed.outcome = SyncOutcome::kOk;
  AccountSyncResult failed = fixed;
  failed.account.account_id = "acc_2";
  failed.outcome = SyncOutcome::kBankUnavailable;
  failed.error = Error(ErrorCode::kUnavailable, "down");
  report.accounts = {fixed, failed};
  m.CountSyncRun("rpc", report, 0.1);
  text = m.Render();
  EXPECT_NE(text.find("bankfeed_quarantined_rows{bank=\"bank-a\"} 1\n"), std::string::npos) << text;
}

TEST(GrpcStatus, ErrorsMapToCodesWithTheFieldFirstAndNoPersonalData) {
  auto s = ToGrpcStatus(Error(ErrorCode::kInvalidArgument, "cursor: corrupt"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "cursor: corrupt");
  EXPECT_EQ(ToGrpcStatus(Error(ErrorCode::kNotFound, "x")).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ToGrpcStatus(Error(ErrorCode::kConsentExpired, "x")).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ToGrpcStatus(Error(ErrorCode::kAccessExceeded, "x")).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ToGrpcStatus(Error(ErrorCode::kUnavailable, "x")).error_code(), grpc::StatusCode::UNAVAILABLE);
  // A careless message still loses an IBAN and a bearer token on the way out.
  s = ToGrpcStatus(Error(ErrorCode::kProtocol, "bad row DE89370400440532013000 with Bearer abcdefghijklmnopqrstuvwxyz0123"));
  EXPECT_EQ(s.error_message().find("DE89370400440532013000"), std::string::npos) << s.error_message();
  EXPECT_EQ(s.error_message().find("abcdefghijklmnopqrstuvwxyz0123"), std::string::npos) << s.error_message();
}

}  // namespace
}  // namespace bankfeed::daemon
