// Every fault kind of the sandbox, and the unattended quota: transient faults are retried to success, the rest
// come back as typed errors that name the bank (and the page), and nothing partial is returned.
#include "sandbox_fixture.hpp"

namespace bankfeed::testing {
namespace {

class Faults : public SandboxTest {
 protected:
  Result<TransactionBatch> Read(const std::string& faults, int rows = 50, int page_size = 5,
                                BankProfile* profile = nullptr) {
    StartBank(ScenarioYaml(rows, 0, "  page_size: " + std::to_string(page_size) + "\n  faults: " + faults + "\n"));
    BankProfile p = profile ? *profile : Profile();
    p.base_url = bank().BaseUrl();
    auto c = Connect(p);
    grant_ = Consent(*c, ScaApproach::kRedirect);
    return c->GetTransactions(grant_, Acc1(), {*Date::Parse("2025-01-01"), std::nullopt}, Present());
  }
  ConsentGrant grant_;
};

TEST_F(Faults, Http429WithRetryAfterIsWaitedAndRetried) {
  auto batch = Read("[{kind: http_429, page: 2, retry_after_s: 1, times: 1}]");
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(batch->transactions.size(), 50u);
  ASSERT_FALSE(sleeps_.empty());
  EXPECT_EQ(sleeps_.back(), std::chrono::milliseconds(1000));  // the bank's Retry-After
}

TEST_F(Faults, Http500AndResetAndTruncatedBodyAreRetriedForGets) {
  auto batch = Read("[{kind: http_500, page: 2, times: 1}, {kind: reset, page: 4, times: 1}, "
                    "{kind: truncated_body, page: 6, times: 1}, {kind: http_503, page: 8, times: 1}]");
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(batch->transactions.size(), 50u);
  EXPECT_EQ(bank().stats().faults_injected.load(), 4);
}

TEST_F(Faults, PersistentServerErrorsBecomeUnavailableWithTheBankAndPage) {
  for (const char* kind : {"http_500", "html_error", "empty_error"}) {
    SCOPED_TRACE(kind);
    auto batch = Read(std::string("[{kind: ") + kind + ", page: 3}]");
    ASSERT_FALSE(batch);
    EXPECT_EQ(batch.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(batch.error().bank_id, "test-bank");
    EXPECT_EQ(batch.error().message.rfind("read transactions page 3: ", 0), 0u) << batch.error().message;
    TearDown();
  }
}

TEST_F(Faults, ProblemJsonIsReadForItsCode) {
  auto batch = Read("[{kind: problem_json, page: 2}]");
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().http_status, 400);
  EXPECT_FALSE(batch.error().bank_code.empty());
  EXPECT_EQ(batch.error().message.rfind("read transactions page 2: the bank answered HTTP 400 ", 0), 0u)
      << batch.error().message;
}

TEST_F(Faults, GarbageOnPage7Of10NamesThePageAndKeepsNothing) {
  auto batch = Read("[{kind: garbage_body, page: 7}]");
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(batch.error().bank_id, "test-bank");
  EXPECT_EQ(batch.error().message.rfind("transactions page 7: ", 0), 0u) << batch.error().message;
}

TEST_F(Faults, ConsentExpiringMidPaginationIsTyped) {
  auto batch = Read("[{kind: consent_expired, page: 4}]");
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kConsentExpired);
  EXPECT_EQ(batch.error().bank_code, "CONSENT_EXPIRED");
  EXPECT_EQ(batch.error().message, "read transactions page 4: the bank answered HTTP 401 CONSENT_EXPIRED");
}

TEST_F(Faults, SlowBodyArrivesWithinTheTimeoutAndTimesOutBeyondIt) {
  auto slow = Read("[{kind: slow_body_ms, value: 600, page: 1}]", 10, 50);
  ASSERT_TRUE(slow) << slow.error().ToString();
  EXPECT_EQ(slow->transactions.size(), 10u);
  TearDown();
  BankProfile impatient = Profile();
  impatient.transport.total_timeout = std::chrono::milliseconds(200);
  impatient.retry.max_attempts = 1;
  auto timed_out = Read("[{kind: slow_body_ms, value: 3000, page: 1}]", 10, 50, &impatient);
  ASSERT_FALSE(timed_out);
  EXPECT_EQ(timed_out.error().code, ErrorCode::kTimeout);
}

TEST_F(Faults, FifthUnattendedReadOfTheDayIsRefusedLocallyNotSent) {
  StartBank(ScenarioYaml(3, 0, "  frequency_per_day: 4\n"));
  auto c = Connect(Profile());
  ConsentGrant grant = Consent(*c, ScaApproach::kRedirect);
  for (int i = 0; i < 4; ++i) {
    auto batch = c->GetTransactions(grant, Acc1(), {*Date::Parse("2025-01-01"), std::nullopt}, Unattended());
    ASSERT_TRUE(batch) << i << ": " << batch.error().ToString();
  }
  const int64_t sent = bank().stats().api_requests.load();
  auto fifth = c->GetTransactions(grant, Acc1(), {*Date::Parse("2025-01-01"), std::nullopt}, Unattended());
  ASSERT_FALSE(fifth);
  EXPECT_EQ(fifth.error().code, ErrorCode::kAccessExceeded);
  EXPECT_TRUE(fifth.error().retry_after.has_value());
  EXPECT_EQ(bank().stats().api_requests.load(), sent);  // never reached the bank
  EXPECT_EQ(bank().stats().quota_refusals.load(), 0);
  // With the customer present the read is not counted and goes through.
  EXPECT_TRUE(c->GetTransactions(grant, Acc1(), {*Date::Parse("2025-01-01"), std::nullopt}, Present()));
}

TEST_F(Faults, TheBanksOwnQuotaRefusalIsAccessExceededAndNotRetried) {
  StartBank(ScenarioYaml(3, 0, "  frequency_per_day: 1\n"));
  BankProfile p = Profile();
  auto c = Connect(p);
  ConsentGrant grant = Consent(*c, ScaApproach::kRedirect);
  grant.request.frequency_per_day = 5;  // we believe in more than the bank grants
  ASSERT_TRUE(c->GetTransactions(grant, Acc1(), {*Date::Parse("2025-01-01"), std::nullopt}, Unattended()));
  const int64_t sent = bank().stats().api_requests.load();
  auto second = c->GetTransactions(grant, Acc1(), {*Date::Parse("2025-01-01"), std::nullopt}, Unattended());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kAccessExceeded);
  EXPECT_EQ(bank().stats().api_requests.load(), sent + 1);  // one attempt, no retries
}

}  // namespace
}  // namespace bankfeed::testing
