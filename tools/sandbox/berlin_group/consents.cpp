#include "tools/sandbox/berlin_group/consents.hpp"

#include "tools/sandbox/random.hpp"

namespace bankfeed::sandbox::berlin_group {

std::string_view ConsentStatusName(ConsentStatus status) {
  switch (status) {
    case ConsentStatus::kReceived: return "received";
    case ConsentStatus::kValid: return "valid";
    case ConsentStatus::kRejected: return "rejected";
    case ConsentStatus::kExpired: return "expired";
    case ConsentStatus::kTerminatedByTpp: return "terminatedByTpp";
  }
  return "received";
}

ConsentStatus Consent::StatusOn(Date today) const {
  if (status == ConsentStatus::kValid && today > valid_until) return ConsentStatus::kExpired;
  return status;
}

const AccountAccess* Consent::AccessTo(std::string_view resource_id) const {
  for (const AccountAccess& a : access) {
    if (a.resource_id == resource_id) return &a;
  }
  return nullptr;
}

std::string ConsentStore::Add(Consent consent) {
  std::lock_guard lock(mu_);
  consent.id = "c-" + RandomHex(12);
  const std::string id = consent.id;
  consents_.emplace(id, std::move(consent));
  return id;
}

std::optional<Consent> ConsentStore::Get(std::string_view id) const {
  std::lock_guard lock(mu_);
  auto it = consents_.find(id);
  if (it == consents_.end()) return std::nullopt;
  return it->second;
}

bool ConsentStore::Terminate(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = consents_.find(id);
  if (it == consents_.end()) return false;
  it->second.status = ConsentStatus::kTerminatedByTpp;
  return true;
}

void ConsentStore::Expire(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = consents_.find(id);
  if (it != consents_.end() && it->second.status == ConsentStatus::kValid) it->second.status = ConsentStatus::kExpired;
}

void ConsentStore::Touch(std::string_view id, Date today) {
  std::lock_guard lock(mu_);
  auto it = consents_.find(id);
  if (it != consents_.end()) it->second.last_action = today;
}

std::optional<Authorisation> ConsentStore::StartAuthorisation(std::string_view consent_id, Approach approach,
                                                              std::string redirect_uri,
                                                              std::string nok_redirect_uri) {
  std::lock_guard lock(mu_);
  auto it = consents_.find(consent_id);
  if (it == consents_.end() || it->second.status != ConsentStatus::kReceived) return std::nullopt;
  Authorisation auth;
  auth.id = "a-" + RandomHex(12);
  auth.consent_id = it->second.id;
  auth.approach = approach;
  auth.sca_status = approach == Approach::kDecoupled ? "started" : "received";
  auth.redirect_uri = std::move(redirect_uri);
  auth.nok_redirect_uri = std::move(nok_redirect_uri);
  it->second.authorisation_ids.push_back(auth.id);
  authorisations_.emplace(auth.id, auth);
  return auth;
}

std::optional<Authorisation> ConsentStore::GetAuthorisation(std::string_view consent_id,
                                                            std::string_view auth_id) const {
  std::lock_guard lock(mu_);
  auto it = authorisations_.find(auth_id);
  if (it == authorisations_.end() || it->second.consent_id != consent_id) return std::nullopt;
  return it->second;
}

void ConsentStore::Settle(Authorisation& auth, bool approve) {
  if (auth.sca_status == "finalised" || auth.sca_status == "failed") return;
  auth.sca_status = approve ? "finalised" : "failed";
  auto it = consents_.find(auth.consent_id);
  if (it != consents_.end() && it->second.status == ConsentStatus::kReceived) {
    it->second.status = approve ? ConsentStatus::kValid : ConsentStatus::kRejected;
  }
}

void ConsentStore::Poll(std::string_view consent_id, std::string_view auth_id, int64_t polls_needed, bool approve) {
  std::lock_guard lock(mu_);
  auto consent = consents_.find(consent_id);
  if (consent == consents_.end()) return;
  for (const std::string& id : consent->second.authorisation_ids) {
    if (!auth_id.empty() && id != auth_id) continue;
    Authorisation& auth = authorisations_.at(id);
    if (auth.approach != Approach::kDecoupled || auth.sca_status == "finalised" || auth.sca_status == "failed") {
      continue;
    }
    if (++auth.polls >= polls_needed) Settle(auth, approve);
  }
}

std::optional<Authorisation> ConsentStore::CompleteSca(std::string_view auth_id, bool approve) {
  std::lock_guard lock(mu_);
  auto it = authorisations_.find(auth_id);
  if (it == authorisations_.end()) return std::nullopt;
  Settle(it->second, approve);
  return it->second;
}

}  // namespace bankfeed::sandbox::berlin_group
