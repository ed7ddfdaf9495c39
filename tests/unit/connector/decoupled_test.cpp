// Waiting for a decoupled SCA (adapters/common/decoupled.hpp) on a simulated clock.
#include <gtest/gtest.h>

#include "adapters/common/decoupled.hpp"

namespace bankfeed::adapters {
namespace {

struct FakeClock {
  std::chrono::system_clock::time_point t{std::chrono::seconds(1'700'000'000)};
  std::vector<std::chrono::milliseconds> slept;
  DecoupledPolling Polling(int timeout_s, int interval_s) {
    return {std::chrono::seconds(timeout_s), std::chrono::seconds(interval_s), [this] { return t; },
            [this](std::chrono::milliseconds d) {
              slept.push_back(d);
              t += d;
            }};
  }
};

TEST(PollDecoupled, PollsAtTheIntervalUntilValid) {
  FakeClock clock;
  std::vector<ConsentStatus> answers = {ConsentStatus::kReceived, ConsentStatus::kPartiallyAuthorised,
                                        ConsentStatus::kValid};
  size_t asked = 0;
  auto status = PollDecoupled([&]() -> Result<ConsentStatus> { return answers[asked++]; }, clock.Polling(60, 5),
                              "bank-x");
  ASSERT_TRUE(status) << status.error().ToString();
  EXPECT_EQ(*status, ConsentStatus::kValid);
  EXPECT_EQ(asked, 3u);
  EXPECT_EQ(clock.slept, (std::vector<std::chrono::milliseconds>(2, std::chrono::milliseconds(5000))));
}

TEST(PollDecoupled, AFinalStatusEndsTheWait) {
  FakeClock clock;
  for (ConsentStatus final_status : {ConsentStatus::kRejected, ConsentStatus::kRevoked, ConsentStatus::kExpired,
                                     ConsentStatus::kTerminated}) {
    auto status = PollDecoupled([&]() -> Result<ConsentStatus> { return final_status; }, clock.Polling(60, 5),
                                "bank-x");
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::kConsentInvalid);
    EXPECT_EQ(status.error().message,
              "decoupled SCA ended with consent status " + std::string(ConsentStatusName(final_status)));
    EXPECT_EQ(status.error().bank_id, "bank-x");
  }
  EXPECT_TRUE(clock.slept.empty());
}

TEST(PollDecoupled, NoApprovalByTheTimeoutIsATimeout) {
  FakeClock clock;
  int asked = 0;
  auto status = PollDecoupled([&]() -> Result<ConsentStatus> {
    ++asked;
    return ConsentStatus::kReceived;
  }, clock.Polling(20, 5), "bank-x");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(asked, 5);  // at 0, 5, 10, 15 and 20 s
}

TEST(PollDecoupled, AStoppedClockCannotMakeItPollForever) {
  FakeClock clock;
  DecoupledPolling polling = clock.Polling(20, 5);
  polling.sleep = [](std::chrono::milliseconds) {};  // time never passes
  int asked = 0;
  auto status = PollDecoupled([&]() -> Result<ConsentStatus> {
    ++asked;
    return ConsentStatus::kReceived;
  }, polling, "bank-x");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(asked, 5);
}

TEST(PollDecoupled, TheBanksErrorEndsTheWaitAsItIs) {
  FakeClock clock;
  auto status = PollDecoupled([]() -> Result<ConsentStatus> { return MakeError(ErrorCode::kNetwork, "reset"); },
                              clock.Polling(20, 5), "bank-x");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kNetwork);
}

}  // namespace
}  // namespace bankfeed::adapters
