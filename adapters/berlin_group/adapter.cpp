// Construction and the account-information reads of the Berlin Group connector, with pagination.
#include "adapters/berlin_group/adapter.hpp"

#include <algorithm>
#include <span>

#include "adapters/berlin_group/links.hpp"
#include "adapters/berlin_group/mapping.hpp"
#include "adapters/common/page_walk.hpp"
#include "adapters/common/window_walk.hpp"
#include "adapters/common/quota.hpp"
#include "bankfeed/canonical_json.hpp"
#include "bankfeed/ids.hpp"
#include "bankfeed/qcstatement.hpp"
#include "log/log.hpp"
#include "pki/credentials.hpp"

namespace bankfeed::berlin_group {
namespace {

// `date_query_format`: %Y %m %d and literal characters (the profile loader checked it).
std::string FormatQueryDate(const Date& date, std::string_view format) {
  const std::string iso = date.ToString();  // YYYY-MM-DD
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '%' && i + 1 < format.size()) {
      char spec = format[++i];
      if (spec == 'Y') out += iso.substr(0, 4);
      else if (spec == 'm') out += iso.substr(5, 2);
      else if (spec == 'd') out += iso.substr(8, 2);
      else out += spec;
    } else {
      out += format[i];
    }
  }
  return out;
}

}  // namespace

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
                                      }},
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
  auto signer = adapters::CavageSigner::Make(options.qseal, profile.cavage);
  if (!signer) {
    Error e = signer.error();
    e.bank_id = profile.id;
    return tl::unexpected(std::move(e));
  }
  std::string client_id = options.oauth_client_id;
  if (client_id.empty() && profile.oauth2) {
    // tls_client_auth: the client id is the TPP's PSD2 authorisation number from its QWAC.
    auto credential = pki::Credential::Load(options.qwac);
    if (!credential) return tl::unexpected(credential.error());
    auto attributes = Psd2AttributesOfCertificate(credential->CertificatePem());
    if (!attributes || !attributes->organization_identifier || attributes->organization_identifier->empty()) {
      return fail(ErrorCode::kConfig, "oauth_client_id: not set and the QWAC carries no organizationIdentifier");
    }
    client_id = *attributes->organization_identifier;
  }
  return std::unique_ptr<Connector>(new BerlinGroupConnector(std::move(profile), std::move(*client),
                                                             std::move(*signer), std::move(client_id),
                                                             std::move(*base), std::move(env)));
}

Status BerlinGroupConnector::BeginRead(ConsentGrant& grant, const PsuContext& psu, const std::string& quota_key) {
  BANKFEED_RETURN_IF_ERROR(EnsureAccessToken(grant));
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

Error BerlinGroupConnector::BodyError(Error e, std::string_view what, const http::Response& response) const {
  e.message = std::string(what) + ": " + e.message;
  e.bank_id = profile_.id;
  e.request_id = response.request_id;
  e.http_status = response.status;
  return e;
}

Result<std::vector<Account>> BerlinGroupConnector::ListAccounts(ConsentGrant& grant, const PsuContext& psu) {
  BANKFEED_RETURN_IF_ERROR(BeginRead(grant, psu, "accounts"));
  BANKFEED_ASSIGN_OR_RETURN(auto response, Exchange(ReadCall(grant, psu, ApiUrl("/v1/accounts"), "read accounts")));
  NormalizeOptions options;
  options.timezone = profile_.timezone;
  options.quirks = profile_.quirks.values;
  simdjson::padded_string body(response.body);
  auto accounts = MapAccounts(body, options);
  if (!accounts) return tl::unexpected(BodyError(accounts.error(), "accounts", response));
  return accounts;
}

Result<std::vector<Balance>> BerlinGroupConnector::GetBalances(ConsentGrant& grant, const Account& account,
                                                               const PsuContext& psu) {
  if (!account.resource_id) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "account.resource_id: missing")));
  }
  BANKFEED_RETURN_IF_ERROR(BeginRead(grant, psu, "balances:" + *account.resource_id));
  const std::string url = ApiUrl("/v1/accounts/" + adapters::PercentEncode(*account.resource_id) + "/balances");
  BANKFEED_ASSIGN_OR_RETURN(auto response, Exchange(ReadCall(grant, psu, url, "read balances")));
  NormalizeOptions options;
  options.timezone = profile_.timezone;
  options.quirks = profile_.quirks.values;
  options.account_id = account.id;
  simdjson::padded_string body(response.body);
  auto balances = MapBalances(body, options);
  if (!balances) return tl::unexpected(BodyError(balances.error(), "balances", response));
  return balances;
}

Result<TransactionBatch> BerlinGroupConnector::GetTransactions(ConsentGrant& grant, const Account& account,
                                                               const TransactionQuery& query, const PsuContext& psu) {
  if (!account.resource_id) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "account.resource_id: missing")));
  }
  TransactionBatch batch;
  const Date today = Today();
  const Date earliest{today.days_since_epoch - profile_.quirks.max_history_days};
  batch.date_from = std::max(query.date_from, earliest);
  batch.date_to = query.date_to.value_or(today);
  if (batch.date_from > batch.date_to) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "query.date_from: after date_to")));
  }
  BANKFEED_RETURN_IF_ERROR(BeginRead(grant, psu, "transactions:" + *account.resource_id));
  NormalizeOptions options;
  options.timezone = profile_.timezone;
  options.quirks = profile_.quirks.values;
  options.account_id = account.id;
  options.assign_ids = false;  // assigned once, over the whole batch, below

  adapters::PageWalkRules rules;
  rules.bank_id = profile_.id;
  rules.origin = base_;
  rules.link_hosts = profile_.quirks.link_hosts;
  rules.page_cap = profile_.quirks.page_cap;
  rules.overlap = static_cast<size_t>(std::max(0, profile_.quirks.page_overlap));
  // One page: its rows (a row the mapping refuses is set aside with its error, and the sync keeps it in quarantine)
  // and its links.
  const adapters::PageReader read_page = [&](const std::string& url, int page) -> Result<adapters::Page> {
    const std::string what = "transactions page " + std::to_string(page);
    BANKFEED_ASSIGN_OR_RETURN(auto response, Exchange(ReadCall(grant, psu, url, "read " + what)));
    simdjson::padded_string body(response.body);
    adapters::Page out;
    options.refused = &out.rows.refused;
    auto rows = MapTransactions(body, options);
    options.refused = nullptr;
    if (!rows) return tl::unexpected(BodyError(rows.error(), what, response));
    out.rows.rows = std::move(*rows);
    auto links = ReadLinks(response.body);
    if (!links) return tl::unexpected(BodyError(links.error(), what, response));
    if (auto next = links->find("next"); next != links->end()) out.next = std::move(next->second);
    if (auto self = links->find("self"); self != links->end()) out.self = std::move(self->second);
    out.request_id = response.request_id;
    return out;
  };
  // A bank that caps the period of one query is read in consecutive windows (profile quirks.max_window_days).
  const adapters::WindowReader read_window = [&](const adapters::DateWindow& window) {
    std::string url = ApiUrl("/v1/accounts/" + adapters::PercentEncode(*account.resource_id) +
                             "/transactions?bookingStatus=both&dateFrom=" +
                             adapters::PercentEncode(FormatQueryDate(window.from, profile_.quirks.date_query_format)));
    if (profile_.quirks.send_date_to) {
      url += "&dateTo=" + adapters::PercentEncode(FormatQueryDate(window.to, profile_.quirks.date_query_format));
    }
    return adapters::WalkPages(std::move(url), rules, read_page);
  };
  BANKFEED_ASSIGN_OR_RETURN(adapters::WalkedRows rows,
                            adapters::WalkWindows(batch.date_from, batch.date_to, profile_.quirks.max_window_days,
                                                  read_window));
  batch.transactions = std::move(rows.transactions);
  batch.refused = std::move(rows.refused);
  batch.pages = rows.pages;
  // Ids over the whole query: twins on different pages stay twins, and the ids do not depend on page boundaries.
  TransactionIdAssigner ids;
  for (auto& t : batch.transactions) ids.Assign(t);
  log::Info("bg.transactions", {{"bank", profile_.id},
                                {"pages", batch.pages},
                                {"rows", static_cast<int64_t>(batch.transactions.size())},
                                {"refused", static_cast<int64_t>(batch.refused.size())}});
  return batch;
}

}  // namespace bankfeed::berlin_group
