// Construction and the account-information reads of the Berlin Group connector, with pagination.
#include "adapters/berlin_group/adapter.hpp"

#include <algorithm>
#include <span>

#include "adapters/common/hal_links.hpp"
#include "adapters/berlin_group/mapping.hpp"
#include "adapters/common/ais_reads.hpp"
#include "adapters/common/client_id.hpp"
#include "adapters/common/customer_ip.hpp"
#include "adapters/common/query_date.hpp"
#include "adapters/common/quota.hpp"
#include "bankfeed/canonical_json.hpp"
#include "bankfeed/ids.hpp"
#include "log/log.hpp"

namespace bankfeed::berlin_group {
BerlinGroupConnector::BerlinGroupConnector(BankProfile profile, std::unique_ptr<http::Client> client,
                                           adapters::CavageSigner signer, std::string client_id,
                                           adapters::UrlParts base, ConnectorEnvironment env)
    : profile_(std::move(profile)),
      client_(std::move(client)),
      signer_(std::move(signer)),
      client_id_(std::move(client_id)),
      base_(std::move(base)),
      env_(std::move(env)),
      tokens_(adapters::TokenEndpoint{client_.get(), profile_.retry,
                                      profile_.oauth2 ? profile_.oauth2->token_endpoint : std::string(), profile_.id,
                                      [this]() -> Result<adapters::FormFields> {
                                        return adapters::FormFields{{"client_id", client_id_}};
                                      },
                                      {}},
              env_.now) {
  if (env_.sleep) retry_env_.sleep = env_.sleep;
  if (env_.now) retry_env_.now = env_.now;
}

Result<std::unique_ptr<Connector>> BerlinGroupConnector::Make(const ConnectionOptions& options,
                                                              ConnectorEnvironment env) {
  BankProfile profile = options.profile;
  auto fail = [&](ErrorCode code, std::string message) {
    Error e(code, std::move(message));
    e.bank_id = profile.id;
    return tl::unexpected(std::move(e));
  };
  if (profile.standard != Standard::kBerlinGroup) return fail(ErrorCode::kConfig, "profile.standard: not berlin-group");
  auto base = adapters::ParseUrl(profile.base_url, "profile.base_url");
  if (!base || base->scheme != "https") return fail(ErrorCode::kConfig, "profile.base_url: not an https URL");
  if (profile.sca.approaches.empty()) return fail(ErrorCode::kConfig, "profile.sca.approaches: empty");

  TransportOptions transport = profile.transport;
  transport.bank_id = profile.id;
  transport.client_identity = options.qwac;
  transport.ca_bundle_file = options.ca_bundle_file;
  auto client = http::Client::Make(transport);
  if (!client) return tl::unexpected(client.error());
  auto signer = adapters::CavageSigner::Make(options.qseal, profile.cavage, options.qseal_url);
  if (!signer) {
    Error e = signer.error();
    e.bank_id = profile.id;
    return tl::unexpected(std::move(e));
  }
  std::string client_id = options.oauth_client_id;
  if (client_id.empty() && profile.oauth2) {
    // tls_client_auth: the client id is the TPP's PSD2 authorisation number from its QWAC.
    BANKFEED_ASSIGN_OR_RETURN(client_id, adapters::MtlsClientId(options));
  }
  return std::unique_ptr<Connector>(new BerlinGroupConnector(std::move(profile), std::move(*client),
                                                             std::move(*signer), std::move(client_id),
                                                             std::move(*base), std::move(env)));
}

Status BerlinGroupConnector::BeginRead(ConsentGrant& grant, const PsuContext& psu, const std::string& quota_key) {
  BANKFEED_RETURN_IF_ERROR(EnsureAccessToken(grant));
  adapters::RememberCustomerIp(grant, psu, profile_.quirks);
  return adapters::ConsumeUnattendedRead(grant, quota_key, psu, grant.request.frequency_per_day, profile_.timezone,
                                         Now(), profile_.id);
}

BerlinGroupConnector::Call BerlinGroupConnector::ReadCall(ConsentGrant& grant, const PsuContext& psu, std::string url,
                                                          std::string operation) const {
  Call call;
  call.url = std::move(url);
  call.grant = &grant;
  call.send_consent_id = true;
  call.psu = &psu;
  call.operation = std::move(operation);
  return call;
}

Result<std::vector<Account>> BerlinGroupConnector::ListAccounts(ConsentGrant& grant, const PsuContext& psu) {
  BANKFEED_RETURN_IF_ERROR(BeginRead(grant, psu, "accounts"));
  BANKFEED_ASSIGN_OR_RETURN(auto response, Exchange(ReadCall(grant, psu, ApiUrl("/v1/accounts"), "read accounts")));
  return adapters::MapAnswer(MapAccounts, response, adapters::MappingOptions(profile_), "accounts", profile_.id);
}

Result<std::vector<Balance>> BerlinGroupConnector::GetBalances(ConsentGrant& grant, const Account& account,
                                                               const PsuContext& psu) {
  if (!account.resource_id) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "account.resource_id: missing")));
  }
  BANKFEED_RETURN_IF_ERROR(BeginRead(grant, psu, "balances:" + *account.resource_id));
  const std::string url = ApiUrl("/v1/accounts/" + adapters::PercentEncode(*account.resource_id) + "/balances");
  BANKFEED_ASSIGN_OR_RETURN(auto response, Exchange(ReadCall(grant, psu, url, "read balances")));
  return adapters::MapAnswer(MapBalances, response, adapters::MappingOptions(profile_, account.id), "balances",
                             profile_.id);
}

Result<TransactionBatch> BerlinGroupConnector::GetTransactions(ConsentGrant& grant, const Account& account,
                                                               const TransactionQuery& query, const PsuContext& psu) {
  if (!account.resource_id) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "account.resource_id: missing")));
  }
  BANKFEED_RETURN_IF_ERROR(BeginRead(grant, psu, "transactions:" + *account.resource_id));
  adapters::TransactionReads reads;
  reads.profile = &profile_;
  reads.origin = base_;
  reads.next_name = "_links.next";
  reads.log_event = "bg.transactions";
  reads.fetch = [&](const std::string& url, const std::string& operation) {
    return Exchange(ReadCall(grant, psu, url, operation));
  };
  reads.map = MapTransactions;
  reads.links = adapters::HalPageLinks;
  reads.first_page_url = [&](const adapters::DateWindow& window) {
    std::string url = ApiUrl("/v1/accounts/" + adapters::PercentEncode(*account.resource_id) +
                             "/transactions?bookingStatus=both&dateFrom=" +
                             adapters::PercentEncode(adapters::FormatQueryDate(window.from,
                                                                               profile_.quirks.date_query_format)));
    if (profile_.quirks.send_date_to) {
      url += "&dateTo=" +
             adapters::PercentEncode(adapters::FormatQueryDate(window.to, profile_.quirks.date_query_format));
    }
    return url;
  };
  return adapters::ReadTransactionBatch(reads, account, query, Today());
}

}  // namespace bankfeed::berlin_group
