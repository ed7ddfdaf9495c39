#include "tools/sandbox/quota.hpp"

namespace bankfeed::sandbox {

bool Quota::TryConsume(std::string_view consent_id, std::string_view account, std::string_view endpoint, Date day,
                       int64_t limit) {
  std::lock_guard lock(mu_);
  // Days before the one asked about can never be asked about again unless the clock goes back; keep them anyway,
  // the map stays small (a few entries per consent and day).
  int64_t& used = used_[Key(consent_id, account, endpoint, day.days_since_epoch)];
  if (used >= limit) return false;
  ++used;
  return true;
}

int64_t Quota::Used(std::string_view consent_id, std::string_view account, std::string_view endpoint,
                    Date day) const {
  std::lock_guard lock(mu_);
  auto it = used_.find(Key(consent_id, account, endpoint, day.days_since_epoch));
  return it == used_.end() ? 0 : it->second;
}

}  // namespace bankfeed::sandbox
