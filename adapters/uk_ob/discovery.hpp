// adapters/uk_ob/discovery.hpp: a bank's OpenID Provider metadata (OpenID Connect Discovery 1.0 §3), as served at
// issuer + "/.well-known/openid-configuration": where the customer is sent, where tokens come from, where the ID
// tokens' keys are, where clients register.
//
// The document is trusted only as far as it stays with the bank (Discovery §4.3): its `issuer` must equal the one
// the profile names, character for character, and every endpoint must be https on the issuer's host or on a host
// the profile allows (quirks.link_hosts). Anything else is kProtocol naming the field, never its value.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/profile.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::uk_ob {

struct Discovery {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string registration_endpoint;  // empty when the bank offers no dynamic registration
  std::vector<std::string> token_endpoint_auth_methods;  // empty when the document does not say
  std::vector<std::string> id_token_signing_algs;
  std::vector<std::string> request_object_signing_algs;
};

inline constexpr size_t kMaxDiscoveryBytes = 256 * 1024;
inline constexpr std::string_view kDiscoveryPath = "/.well-known/openid-configuration";

// The discovery URL of an issuer (a trailing '/' of the issuer is not doubled).
std::string DiscoveryUrl(std::string_view issuer);

// Parses and checks a discovery document for `expected_issuer`. `link_hosts` are the other hosts (profile quirk,
// "host" or "host:port") the bank's endpoints may be on. The document must offer what bankfeed needs: response type
// "code id_token" where it lists response types, PS256 for ID tokens and request objects where it lists algorithms,
// and `method` among its token endpoint auth methods where it lists them.
Result<Discovery> ParseDiscovery(std::string_view json, std::string_view expected_issuer,
                                 std::span<const std::string> link_hosts, ClientAuthMethod method,
                                 std::string_view bank_id);

}  // namespace bankfeed::uk_ob
