// The STET account-information reads: accounts, balances, and every page of transactions by HAL `_links.next`,
// each signed, with the consent's access token (refreshed as needed) and the unattended-read quota.
#include "adapters/common/ais_reads.hpp"
#include "adapters/common/hal_links.hpp"
#include "adapters/common/customer_ip.hpp"
#include "adapters/common/query_date.hpp"
#include "adapters/common/quota.hpp"
#include "adapters/stet/connector.hpp"
#include "adapters/stet/mapping.hpp"

namespace bankfeed::stet {
namespace {

// dateFrom (inclusive) and dateTo (exclusive: the day after the window) as the bank wants them: the standard's
// date-times, the bank's local midnight with its offset (or with the profile's own suffix), or plain dates.
std::string FilterDate(Date date, const BankProfile& profile) {
  const Quirks& q = profile.quirks;
  if (q.date_filter == Quirks::DateFilter::kDate) return adapters::FormatQueryDate(date, q.date_query_format);
  if (!q.date_time_query_suffix.empty()) {
    return adapters::FormatQueryDate(date, q.date_query_format) + "T00:00:00" + q.date_time_query_suffix;
  }
  return adapters::LocalMidnightWithOffset(date, profile.timezone);
}

}  // namespace

Status StetConnector::BeginRead(ConsentGrant& grant, const PsuContext& psu, const std::string& quota_key) {
  if (grant.status != ConsentStatus::kValid && grant.status != ConsentStatus::kReceived) {
    return tl::unexpected(WithBank(Error(ErrorCode::kConsentInvalid, "the consent is no longer valid")));
  }
  BANKFEED_RETURN_IF_ERROR(tokens_.EnsureFresh(grant));
  adapters::RememberCustomerIp(grant, psu, profile_.quirks);
  return adapters::ConsumeUnattendedRead(grant, quota_key, psu, grant.request.frequency_per_day, profile_.timezone,
                                         Now(), profile_.id);
}

Result<http::Response> StetConnector::ReadAccountsAnswer(ConsentGrant& grant, const PsuContext& psu) {
  BANKFEED_RETURN_IF_ERROR(BeginRead(grant, psu, "accounts"));
  Call call;
  call.url = ApiUrl("/accounts");
  call.grant = &grant;
  call.psu = &psu;
  call.operation = "read accounts";
  return Exchange(call);
}

Result<std::vector<Account>> StetConnector::ListAccounts(ConsentGrant& grant, const PsuContext& psu) {
  BANKFEED_ASSIGN_OR_RETURN(auto response, ReadAccountsAnswer(grant, psu));
  return adapters::MapAnswer(MapAccounts, response, adapters::MappingOptions(profile_), "accounts", profile_.id);
}

Result<std::vector<Balance>> StetConnector::GetBalances(ConsentGrant& grant, const Account& account,
                                                        const PsuContext& psu) {
  if (!account.resource_id) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "account.resource_id: missing")));
  }
  BANKFEED_RETURN_IF_ERROR(BeginRead(grant, psu, "balances:" + *account.resource_id));
  Call call;
  call.url = ApiUrl("/accounts/" + adapters::PercentEncode(*account.resource_id) + "/balances");
  call.grant = &grant;
  call.psu = &psu;
  call.operation = "read balances";
  BANKFEED_ASSIGN_OR_RETURN(auto response, Exchange(call));
  NormalizeOptions options = adapters::MappingOptions(profile_, account.id);
  options.account_currency = account.currency;
  return adapters::MapAnswer(MapBalances, response, options, "balances", profile_.id);
}

Result<TransactionBatch> StetConnector::GetTransactions(ConsentGrant& grant, const Account& account,
                                                        const TransactionQuery& query, const PsuContext& psu) {
  if (!account.resource_id) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "account.resource_id: missing")));
  }
  BANKFEED_RETURN_IF_ERROR(BeginRead(grant, psu, "transactions:" + *account.resource_id));
  adapters::TransactionReads reads;
  reads.profile = &profile_;
  reads.origin = base_;
  reads.next_name = "_links.next";
  reads.log_event = "stet.transactions";
  // PSD2's rule at some banks: the long history only with a token from the customer's authorisation itself.
  if (grant.access_token_refreshed) reads.max_history_days = profile_.quirks.history_after_refresh_days;
  reads.fetch = [&](const std::string& url, const std::string& operation) {
    Call call;
    call.url = url;
    call.grant = &grant;
    call.psu = &psu;
    call.operation = operation;
    return Exchange(call);
  };
  reads.map = MapTransactions;
  reads.links = adapters::HalPageLinks;
  reads.after_entry_reference = true;
  reads.first_page_url = [&](const adapters::DateWindow& window) {
    adapters::FormFields filter = {{"dateFrom", FilterDate(window.from, profile_)}};
    if (profile_.quirks.send_date_to) {
      filter.emplace_back("dateTo", FilterDate(Date{window.to.days_since_epoch + 1}, profile_));
    }
    if (query.after_entry_reference) filter.emplace_back("afterEntryReference", *query.after_entry_reference);
    return ApiUrl("/accounts/" + adapters::PercentEncode(*account.resource_id) + "/transactions?" +
                  adapters::FilterQuery(filter, profile_.quirks.date_time_colons_encoded));
  };
  return adapters::ReadTransactionBatch(reads, account, query, Today());
}

}  // namespace bankfeed::stet
