// adapters/common/decoupled.hpp: waiting for a decoupled SCA (the customer approves in the bank's app), for every
// standard: the consent's status polled at the profile's interval until it is valid, final, or the time is up.
#pragma once

#include <chrono>
#include <functional>
#include <string_view>

#include "bankfeed/connector.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::adapters {

struct DecoupledPolling {
  std::chrono::seconds timeout{300};
  std::chrono::seconds interval{5};
  std::function<std::chrono::system_clock::time_point()> now;  // the system clock when empty
  std::function<void(std::chrono::milliseconds)> sleep;         // std::this_thread::sleep_for when empty
};

// True for the statuses a consent never leaves: rejected, revoked, expired, terminated.
bool IsFinalConsentStatus(ConsentStatus status);

// Polls `fetch_status` until it answers kValid (returned). A final status is kConsentInvalid naming it; no
// approval by the timeout is kTimeout. Bounded by the number of polls as well as by the clock, so that a stopped or
// simulated clock cannot make it poll forever. Errors of `fetch_status` end the wait as they are.
Result<ConsentStatus> PollDecoupled(const std::function<Result<ConsentStatus>()>& fetch_status,
                                    const DecoupledPolling& polling, std::string_view bank_id);

}  // namespace bankfeed::adapters
