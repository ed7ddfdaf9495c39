// Account-access consents. See uk_ob/consents.hpp.
#include "tools/sandbox/uk_ob/consents.hpp"

#include <algorithm>
#include <chrono>

#include "tools/sandbox/random.hpp"

namespace bankfeed::sandbox::uk_ob {

std::string_view AccessConsentStatusName(AccessConsentStatus status) {
  switch (status) {
    case AccessConsentStatus::kAwaitingAuthorisation:
      return "AwaitingAuthorisation";
    case AccessConsentStatus::kAuthorised:
      return "Authorised";
    case AccessConsentStatus::kRejected:
      return "Rejected";
    case AccessConsentStatus::kRevoked:
      return "Revoked";
  }
  return "AwaitingAuthorisation";
}

bool AccessConsent::Has(std::string_view permission) const {
  return std::find(request.permissions.begin(), request.permissions.end(), permission) != request.permissions.end();
}

bool AccessConsent::ExpiredOn(Date today) const {
  return expired_by_fault || (request.expiration && today > request.expiration->date);
}

std::string NowRfc3339() {
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  std::string text = DateTime{now.time_since_epoch().count(), 0, 0}.ToString();  // ...Z
  if (text.ends_with('Z')) text.replace(text.size() - 1, 1, "+00:00");
  return text;
}

AccessConsent AccessConsentStore::Add(std::string client_id, AccessConsentRequest request) {
  AccessConsent c;
  c.id = "urn-delta-intent-" + RandomHex(12);
  c.client_id = std::move(client_id);
  c.request = std::move(request);
  c.created = c.status_updated = NowRfc3339();
  std::lock_guard lock(mu_);
  consents_.emplace(c.id, c);
  return c;
}

std::optional<AccessConsent> AccessConsentStore::Get(std::string_view id) const {
  std::lock_guard lock(mu_);
  auto it = consents_.find(id);
  if (it == consents_.end()) return std::nullopt;
  return it->second;
}

bool AccessConsentStore::Settle(std::string_view id, bool approve, std::string_view psu_id) {
  std::lock_guard lock(mu_);
  auto it = consents_.find(id);
  if (it == consents_.end()) return false;
  if (it->second.status == AccessConsentStatus::kAuthorised) {
    // Re-authentication by the customer who authorised it; refusing it leaves the consent as it was.
    if (it->second.psu_id != psu_id) return false;
    if (approve) it->second.status_updated = NowRfc3339();
    return true;
  }
  if (it->second.status != AccessConsentStatus::kAwaitingAuthorisation) return false;
  it->second.status = approve ? AccessConsentStatus::kAuthorised : AccessConsentStatus::kRejected;
  if (approve) it->second.psu_id = std::string(psu_id);
  it->second.status_updated = NowRfc3339();
  return true;
}

bool AccessConsentStore::Revoke(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = consents_.find(id);
  if (it == consents_.end()) return false;
  it->second.status = AccessConsentStatus::kRevoked;
  it->second.status_updated = NowRfc3339();
  return true;
}

void AccessConsentStore::Expire(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = consents_.find(id);
  if (it != consents_.end() && it->second.status == AccessConsentStatus::kAuthorised)
    it->second.expired_by_fault = true;
}

}  // namespace bankfeed::sandbox::uk_ob
