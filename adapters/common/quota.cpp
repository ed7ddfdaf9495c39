#include "adapters/common/quota.hpp"

namespace bankfeed::adapters {

Status ConsumeUnattendedRead(ConsentGrant& grant, const std::string& key, const PsuContext& psu, int per_day,
                             const TimeZone& zone, std::chrono::system_clock::time_point now,
                             std::string_view bank_id) {
  if (psu.present()) return {};
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const Date today = zone.LocalDate(now_s);
  if (grant.usage_day != today) {
    grant.usage_day = today;
    grant.usage.clear();
  }
  int& used = grant.usage[key];
  if (used >= per_day) {
    const std::string endpoint = key.substr(0, key.find(':'));
    Error e(ErrorCode::kAccessExceeded, "unattended " + endpoint + " reads: the consent's " + std::to_string(per_day) +
                                            " per day are used up for today (" + today.ToString() +
                                            " bank time); refused before sending");
    e.bank_id = std::string(bank_id);
    e.bank_code = "ACCESS_EXCEEDED";
    // Until the bank's next local midnight.
    const int64_t midnight_utc = zone.LocalToUtc((static_cast<int64_t>(today.days_since_epoch) + 1) * 86400);
    e.retry_after = std::chrono::seconds(std::max<int64_t>(1, midnight_utc - now_s));
    return tl::unexpected(std::move(e));
  }
  ++used;
  return {};
}

}  // namespace bankfeed::adapters
