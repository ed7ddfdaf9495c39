// The consent's unattended-access quota (Berlin Group frequencyPerDay, and the same idea elsewhere), counted on our
// side before a request is sent, so the bank never sees the read that would exceed it.
#pragma once

#include <chrono>
#include <string>

#include "bankfeed/connector.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::adapters {

// Counts one unattended read of `key` ("transactions:<resource id>") on `today` (the bank's local date) in the
// grant, or refuses it with kAccessExceeded (retry_after: until the bank's next local midnight) when
// `per_day` reads of that key were already counted today. Reads with the customer present are not counted.
Status ConsumeUnattendedRead(ConsentGrant& grant, const std::string& key, const PsuContext& psu, int per_day,
                             const TimeZone& zone, std::chrono::system_clock::time_point now,
                             std::string_view bank_id);

}  // namespace bankfeed::adapters
