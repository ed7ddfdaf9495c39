// The UK Open Banking account-information reads: accounts, balances, and every page of transactions by
// Links.Next, each with the consent's access token (refreshed as needed) and the unattended-read quota.
#include <algorithm>

#include <simdjson.h>

#include "adapters/common/ais_reads.hpp"
#include "adapters/common/customer_ip.hpp"
#include "adapters/common/query_date.hpp"
#include "adapters/common/quota.hpp"
#include "adapters/uk_ob/connector.hpp"
#include "adapters/uk_ob/mapping.hpp"

namespace bankfeed::uk_ob {
namespace {

// Links.Next and Links.Self of a page. kProtocol naming the field when one is there but not a string.
Result<adapters::PageLinks> ReadLinks(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(body.data(), body.size()).get_object().get(root) != simdjson::SUCCESS) {
    return MakeError(ErrorCode::kProtocol, "not a JSON object");
  }
  adapters::PageLinks out;
  simdjson::dom::object links;
  if (root["Links"].get_object().get(links) != simdjson::SUCCESS) return out;
  for (auto [name, target] : {std::pair{"Next", &out.next}, std::pair{"Self", &out.self}}) {
    simdjson::dom::element value;
    if (links[name].get(value) != simdjson::SUCCESS || value.is_null()) continue;
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) {
      return MakeError(ErrorCode::kProtocol, std::string("Links.") + name + ": expected a string");
    }
    if (!text.empty()) *target = std::string(text);
  }
  return out;
}

// The bank's local start or end of a day, as UK filters take it: "2025-01-31T23:59:59", the date part in the
// profile's quirks.date_query_format.
std::string FilterDateTime(Date date, bool end_of_day, const Quirks& quirks) {
  return adapters::FormatQueryDate(date, quirks.date_query_format) + (end_of_day ? "T23:59:59" : "T00:00:00") +
         quirks.date_time_query_suffix;
}

}  // namespace

Status UkConnector::BeginRead(ConsentGrant& grant, const PsuContext& psu, const std::string& quota_key) {
  BANKFEED_ASSIGN_OR_RETURN(const adapters::GrantTokens* tokens, Tokens());
  BANKFEED_RETURN_IF_ERROR(tokens->EnsureFresh(grant));
  adapters::RememberCustomerIp(grant, psu, profile_.quirks);
  return adapters::ConsumeUnattendedRead(grant, quota_key, psu, grant.request.frequency_per_day, profile_.timezone,
                                         Now(), profile_.id);
}

UkConnector::Call UkConnector::ReadCall(ConsentGrant& grant, const PsuContext& psu, std::string url,
                                        std::string operation) const {
  Call call;
  call.url = std::move(url);
  call.grant = &grant;
  call.psu = &psu;
  call.operation = std::move(operation);
  return call;
}

Result<std::vector<Account>> UkConnector::ListAccounts(ConsentGrant& grant, const PsuContext& psu) {
  BANKFEED_RETURN_IF_ERROR(BeginRead(grant, psu, "accounts"));
  BANKFEED_ASSIGN_OR_RETURN(auto response, Exchange(ReadCall(grant, psu, ApiUrl("/accounts"), "read accounts")));
  return adapters::MapAnswer(MapAccounts, response, adapters::MappingOptions(profile_), "accounts", profile_.id);
}

Result<std::vector<Balance>> UkConnector::GetBalances(ConsentGrant& grant, const Account& account,
                                                      const PsuContext& psu) {
  if (!account.resource_id) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "account.resource_id: missing")));
  }
  BANKFEED_RETURN_IF_ERROR(BeginRead(grant, psu, "balances:" + *account.resource_id));
  const std::string url = ApiUrl("/accounts/" + adapters::PercentEncode(*account.resource_id) + "/balances");
  BANKFEED_ASSIGN_OR_RETURN(auto response, Exchange(ReadCall(grant, psu, url, "read balances")));
  return adapters::MapAnswer(MapBalances, response, adapters::MappingOptions(profile_, account.id), "balances",
                             profile_.id);
}

Result<TransactionBatch> UkConnector::GetTransactions(ConsentGrant& grant, const Account& account,
                                                      const TransactionQuery& query, const PsuContext& psu) {
  if (!account.resource_id) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "account.resource_id: missing")));
  }
  BANKFEED_RETURN_IF_ERROR(BeginRead(grant, psu, "transactions:" + *account.resource_id));
  adapters::TransactionReads reads;
  reads.profile = &profile_;
  reads.origin = base_;
  reads.next_name = "Links.Next";
  reads.log_event = "uk.transactions";
  reads.fetch = [&](const std::string& url, const std::string& operation) {
    return Exchange(ReadCall(grant, psu, url, operation));
  };
  reads.map = MapTransactions;
  reads.links = ReadLinks;
  reads.first_page_url = [&](const adapters::DateWindow& window) {
    adapters::FormFields filter = {{"fromBookingDateTime", FilterDateTime(window.from, false, profile_.quirks)}};
    if (profile_.quirks.send_date_to) {
      filter.emplace_back("toBookingDateTime", FilterDateTime(window.to, true, profile_.quirks));
    }
    return ApiUrl("/accounts/" + adapters::PercentEncode(*account.resource_id) + "/transactions?" +
                  adapters::FilterQuery(filter, profile_.quirks.date_time_colons_encoded));
  };
  return adapters::ReadTransactionBatch(reads, account, query, Today());
}

}  // namespace bankfeed::uk_ob
