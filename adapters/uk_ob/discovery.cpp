// A bank's OpenID discovery document. See adapters/uk_ob/discovery.hpp.
#include "adapters/uk_ob/discovery.hpp"

#include <algorithm>

#include <simdjson.h>

#include "adapters/common/bank_error.hpp"
#include "adapters/common/page_walk.hpp"
#include "adapters/common/url.hpp"

namespace bankfeed::uk_ob {
namespace {

namespace dom = simdjson::dom;

bool Lists(const std::vector<std::string>& list, std::string_view value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

std::string DiscoveryUrl(std::string_view issuer) {
  if (!issuer.empty() && issuer.back() == '/') issuer.remove_suffix(1);
  return std::string(issuer) + std::string(kDiscoveryPath);
}

Result<Discovery> ParseDiscovery(std::string_view json, std::string_view expected_issuer,
                                 std::span<const std::string> link_hosts, ClientAuthMethod method,
                                 std::string_view bank_id) {
  const auto fail = [&](std::string message) {
    return tl::unexpected(adapters::BankError(ErrorCode::kProtocol, "discovery: " + message, bank_id));
  };
  if (json.size() > kMaxDiscoveryBytes) return fail("larger than 256 KiB");
  dom::parser parser;
  dom::object root;
  if (parser.parse(json.data(), json.size()).get_object().get(root) != simdjson::SUCCESS) {
    return fail("not a JSON object");
  }
  const auto text = [&](std::string_view name, bool required, std::string& out) -> Status {
    dom::element value;
    if (root[name].get(value) != simdjson::SUCCESS) {
      if (!required) return {};
      return fail(std::string(name) + ": missing");
    }
    std::string_view s;
    if (value.get_string().get(s) != simdjson::SUCCESS) return fail(std::string(name) + ": expected a string");
    if (s.empty()) return fail(std::string(name) + ": empty");
    out.assign(s);
    return {};
  };
  const auto list = [&](std::string_view name, std::vector<std::string>& out) -> Status {
    dom::element value;
    if (root[name].get(value) != simdjson::SUCCESS) return {};
    dom::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS) return fail(std::string(name) + ": expected an array");
    for (dom::element item : array) {
      std::string_view s;
      if (item.get_string().get(s) != simdjson::SUCCESS) {
        return fail(std::string(name) + ": expected an array of strings");
      }
      out.emplace_back(s);
    }
    return {};
  };

  Discovery d;
  BANKFEED_RETURN_IF_ERROR(text("issuer", true, d.issuer));
  if (d.issuer != expected_issuer) return fail("issuer: not the issuer the profile names");
  BANKFEED_RETURN_IF_ERROR(text("authorization_endpoint", true, d.authorization_endpoint));
  BANKFEED_RETURN_IF_ERROR(text("token_endpoint", true, d.token_endpoint));
  BANKFEED_RETURN_IF_ERROR(text("jwks_uri", true, d.jwks_uri));
  BANKFEED_RETURN_IF_ERROR(text("registration_endpoint", false, d.registration_endpoint));
  std::vector<std::string> response_types;
  BANKFEED_RETURN_IF_ERROR(list("response_types_supported", response_types));
  BANKFEED_RETURN_IF_ERROR(list("token_endpoint_auth_methods_supported", d.token_endpoint_auth_methods));
  BANKFEED_RETURN_IF_ERROR(list("id_token_signing_alg_values_supported", d.id_token_signing_algs));
  BANKFEED_RETURN_IF_ERROR(list("request_object_signing_alg_values_supported", d.request_object_signing_algs));

  // Every endpoint stays with the bank: https, on the issuer's host or one the profile allows.
  auto issuer = adapters::ParseUrl(d.issuer, "discovery.issuer");
  if (!issuer || issuer->scheme != "https") return fail("issuer: not an https URL");
  const std::pair<std::string_view, const std::string*> endpoints[] = {
      {"authorization_endpoint", &d.authorization_endpoint},
      {"token_endpoint", &d.token_endpoint},
      {"jwks_uri", &d.jwks_uri},
      {"registration_endpoint", &d.registration_endpoint}};
  for (const auto& [name, url] : endpoints) {
    if (url->empty()) continue;
    auto parts = adapters::ParseUrl(*url, name);
    if (!parts || parts->scheme != "https") return fail(std::string(name) + ": not an https URL");
    auto followable = adapters::FollowableLink(d.issuer, *url, name, *issuer, link_hosts, bank_id);
    if (!followable) return fail(std::string(name) + ": on a host other than the issuer's");
  }

  if (!Lists(response_types, "code id_token")) return fail("response_types_supported: no \"code id_token\"");
  if (!Lists(d.id_token_signing_algs, "PS256")) return fail("id_token_signing_alg_values_supported: no PS256");
  if (!Lists(d.request_object_signing_algs, "PS256")) {
    return fail("request_object_signing_alg_values_supported: no PS256");
  }
  if (!Lists(d.token_endpoint_auth_methods, ClientAuthMethodName(method))) {
    return fail("token_endpoint_auth_methods_supported: no " + std::string(ClientAuthMethodName(method)) +
                ", the profile's oauth2.client_auth");
  }
  return d;
}

}  // namespace bankfeed::uk_ob
