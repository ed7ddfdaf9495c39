// Fuzzes bankfeed::uk_ob::ParseDiscovery, a bank's OpenID discovery document. A refusal is kProtocol "discovery:
// ..." for the bank; an accepted document has the expected issuer and every endpoint over https on the issuer's
// host or the one allowed group host.
#include "fuzz_common.hpp"

#include "adapters/common/url.hpp"
#include "adapters/uk_ob/discovery.hpp"

namespace fuzz_uk_ob_discovery {

// https on port 443 of the issuer's host or the one allowed group host.
bool OnAllowedHost(const std::string& url) {
  auto parts = bankfeed::adapters::ParseUrl(url, "url");
  return parts && parts->scheme == "https" && parts->port == 443 &&
         (parts->host == "as.bank-x.example" || parts->host == "keys.bank-x-group.example");
}

BANKFEED_FUZZ_TARGET(uk_ob_discovery) {
  using bankfeed::fuzz::Check;
  namespace uk = bankfeed::uk_ob;
  static const std::vector<std::string> kGroupHosts = {"keys.bank-x-group.example"};
  const auto d = uk::ParseDiscovery(bankfeed::fuzz::AsText(data, size), "https://as.bank-x.example", kGroupHosts,
                                    bankfeed::ClientAuthMethod::kPrivateKeyJwt, "bank-x");
  if (!d) {
    Check(d.error().code == bankfeed::ErrorCode::kProtocol && d.error().message.starts_with("discovery: "));
    Check(d.error().bank_id == "bank-x");
    return 0;
  }
  Check(d->issuer == "https://as.bank-x.example");
  for (const std::string* url : {&d->authorization_endpoint, &d->token_endpoint, &d->jwks_uri}) {
    Check(OnAllowedHost(*url));
  }
  if (!d->registration_endpoint.empty()) Check(OnAllowedHost(d->registration_endpoint));
  return 0;
}

}  // namespace fuzz_uk_ob_discovery
