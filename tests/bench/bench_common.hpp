// What the ingest and daemon benchmarks share beyond the generated pages (ingest_pages.hpp): the consent and the
// accounts they store for a generated customer, and the load average they print.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bankfeed/ids.hpp"
#include "bankfeed/store.hpp"
#include "ingest_pages.hpp"

namespace bankfeed::bench {

// A valid consent of customer number `index` at `bank_id`, for the store's SaveConsent.
inline ConsentRecord BenchConsent(std::string_view tenant, std::string_view bank_id, std::string_view customer_handle,
                                  size_t index, const std::string& psu_id) {
  ConsentRecord consent;
  consent.tenant = std::string(tenant);
  consent.customer_handle = std::string(customer_handle);
  consent.bank_id = std::string(bank_id);
  consent.grant.bank_id = std::string(bank_id);
  consent.grant.consent_id = "consent-" + std::to_string(index);
  consent.grant.status = ConsentStatus::kValid;
  consent.grant.psu_id = psu_id;
  return consent;
}

// The canonical account of a generated account's pages, with its id.
inline Account BenchAccount(const AccountPages& pages) {
  Account a;
  a.resource_id = pages.resource_id;
  a.iban = pages.iban;
  a.currency = "EUR";
  a.name = "Girokonto";
  a.id = AccountIdFor(a);
  return a;
}

inline std::string LoadAverage() {
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) != 3) return "?";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f/%.2f/%.2f", load[0], load[1], load[2]);
  return buf;
}

}  // namespace bankfeed::bench
