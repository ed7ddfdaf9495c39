// Waiting for a decoupled SCA. See adapters/common/decoupled.hpp.
#include "adapters/common/decoupled.hpp"

#include <algorithm>
#include <string>
#include <thread>

#include "adapters/common/bank_error.hpp"

namespace bankfeed::adapters {

bool IsFinalConsentStatus(ConsentStatus status) {
  return status == ConsentStatus::kRejected || status == ConsentStatus::kRevoked ||
         status == ConsentStatus::kExpired || status == ConsentStatus::kTerminated;
}

Result<ConsentStatus> PollDecoupled(const std::function<Result<ConsentStatus>()>& fetch_status,
                                    const DecoupledPolling& polling, std::string_view bank_id) {
  auto now = [&] { return polling.now ? polling.now() : std::chrono::system_clock::now(); };
  const auto deadline = now() + polling.timeout;
  const int64_t max_polls = polling.timeout.count() / std::max<int64_t>(1, polling.interval.count()) + 1;
  const auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(polling.interval);
  for (int64_t poll = 1;; ++poll) {
    BANKFEED_ASSIGN_OR_RETURN(ConsentStatus status, fetch_status());
    if (status == ConsentStatus::kValid) return status;
    if (IsFinalConsentStatus(status)) {
      return tl::unexpected(BankError(ErrorCode::kConsentInvalid,
                                      "decoupled SCA ended with consent status " +
                                          std::string(ConsentStatusName(status)),
                                      bank_id));
    }
    if (now() >= deadline || poll >= max_polls) {
      return tl::unexpected(BankError(ErrorCode::kTimeout,
                                      "decoupled SCA: not approved within " +
                                          std::to_string(polling.timeout.count()) + " s; try again later",
                                      bank_id));
    }
    if (polling.sleep) {
      polling.sleep(interval);
    } else {
      std::this_thread::sleep_for(interval);
    }
  }
}

}  // namespace bankfeed::adapters
