#include "tools/bankfeed/forget.hpp"

namespace bankfeed::cli {

Result<ForgetOutcome> ForgetCustomer(Store& store, const ConnectorFactory& factory, const std::string& tenant,
                                     const std::string& customer_handle, bool even_if_revoke_fails) {
  BANKFEED_ASSIGN_OR_RETURN(std::vector<ConsentRecord> consents, store.ListCustomerConsents(tenant, customer_handle));
  ForgetOutcome out;
  for (ConsentRecord& record : consents) {
    const bool live = record.grant.status == ConsentStatus::kValid || record.grant.status == ConsentStatus::kReceived ||
                      record.grant.status == ConsentStatus::kPartiallyAuthorised;
    Status revoked;
    if (live && !record.grant.consent_id.empty()) {
      auto connector = factory(record.bank_id);
      revoked = connector ? (*connector)->RevokeConsent(record.grant) : Status(tl::unexpected(connector.error()));
    }
    ConsentRevocation r{record.handle, record.bank_id, std::nullopt};
    if (!revoked && OutcomeFor(revoked.error()) != SyncOutcome::kNeedsReconsent) {
      r.error = revoked.error();
      if (!even_if_revoke_fails) {
        out.stopped_by = revoked.error();
        out.consents.push_back(std::move(r));
        return out;
      }
    }
    out.consents.push_back(std::move(r));
  }
  BANKFEED_ASSIGN_OR_RETURN(out.report, store.ForgetCustomer(tenant, customer_handle));
  return out;
}

}  // namespace bankfeed::cli
