// Token endpoint client authentication. See uk_ob/client_auth.hpp.
#include "tools/sandbox/uk_ob/client_auth.hpp"

#include <openssl/crypto.h>

namespace bankfeed::sandbox::uk_ob {
namespace {

tl::unexpected<OAuthError> InvalidClient(std::string description) {
  return tl::unexpected(OAuthError{401, "invalid_client", std::move(description)});
}

tl::expected<RegisteredClient, OAuthError> ByAssertion(const FormFields& form, const ClientAuthContext& c) {
  const std::string* type = FindField(form, "client_assertion_type");
  const std::string* assertion = FindField(form, "client_assertion");
  if (type == nullptr || *type != kJwtBearer) {
    return InvalidClient("client_assertion_type: expected urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  }
  if (assertion == nullptr) return InvalidClient("client_assertion: missing");
  auto parsed = ParseJwt(*assertion, "client_assertion");
  if (!parsed) return InvalidClient(parsed.error().message);
  const Jwt& jwt = **parsed;
  if (jwt.Alg() != "PS256") return InvalidClient("client_assertion: alg: expected PS256");
  const auto iss = jwt.String("iss");
  if (!iss || iss->empty()) return InvalidClient("client_assertion: iss: missing");
  const std::string* client_id = FindField(form, "client_id");
  if (client_id != nullptr && *client_id != *iss) return InvalidClient("client_id: not the client_assertion's iss");
  auto client = c.clients.Get(*iss);
  if (!client) return InvalidClient("client_assertion: iss: not a registered client");
  if (client->auth_method != ClientAuthMethod::kPrivateKeyJwt) {
    return InvalidClient("client_assertion: the client is registered for tls_client_auth");
  }
  if (auto ok = VerifyPs256(jwt, client->signing_key.get(), "client_assertion"); !ok) {
    return InvalidClient(ok.error().message + " with the registered key");
  }
  if (jwt.String("sub") != iss) return InvalidClient("client_assertion: sub: must equal iss (the client_id)");
  if (!jwt.AudienceIsOneOf({c.token_endpoint, c.issuer})) {
    return InvalidClient("client_assertion: aud: not the token endpoint");
  }
  const auto exp = jwt.Time("exp");
  if (!exp) return InvalidClient("client_assertion: exp: missing");
  if (*exp <= c.now) return InvalidClient("client_assertion: exp: expired");
  if (*exp - jwt.Time("iat").value_or(c.now) > kMaxAssertionLifetimeS) {
    return InvalidClient("client_assertion: exp: more than 10 minutes after iat");
  }
  const auto jti = jwt.String("jti");
  if (!jti || jti->empty()) return InvalidClient("client_assertion: jti: missing");
  if (!c.clients.UseJti(*iss, *jti)) return InvalidClient("client_assertion: jti: used before (replay)");
  return std::move(*client);
}

tl::expected<RegisteredClient, OAuthError> ByCertificate(const FormFields& form, const ClientAuthContext& c) {
  const std::string* client_id = FindField(form, "client_id");
  if (client_id == nullptr || client_id->empty()) return InvalidClient("client_id: missing");
  auto client = c.clients.Get(*client_id);
  if (!client) return InvalidClient("client_id: not a registered client");
  if (client->auth_method != ClientAuthMethod::kTlsClientAuth) {
    return InvalidClient("client_assertion: missing (the client is registered for private_key_jwt)");
  }
  const std::string& registered = client->tls_fingerprint;
  if (c.presented_fingerprint.empty() || registered.size() != c.presented_fingerprint.size() ||
      CRYPTO_memcmp(registered.data(), c.presented_fingerprint.data(), registered.size()) != 0) {
    return InvalidClient("the client certificate is not the one the client registered with (tls_client_auth)");
  }
  return std::move(*client);
}

}  // namespace

tl::expected<RegisteredClient, OAuthError> AuthenticateClient(const FormFields& form, const ClientAuthContext& c) {
  if (FindField(form, "client_assertion") != nullptr || FindField(form, "client_assertion_type") != nullptr) {
    return ByAssertion(form, c);
  }
  return ByCertificate(form, c);
}

}  // namespace bankfeed::sandbox::uk_ob
