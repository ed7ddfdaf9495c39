// Dynamic client registration requests. See uk_ob/registration.hpp.
#include "tools/sandbox/uk_ob/registration.hpp"

#include <algorithm>

#include "common/text.hpp"

namespace bankfeed::sandbox::uk_ob {
namespace {

tl::unexpected<RegistrationError> Metadata(std::string description) {
  return tl::unexpected(RegistrationError{"invalid_client_metadata", std::move(description)});
}
tl::unexpected<RegistrationError> Statement(std::string description) {
  return tl::unexpected(RegistrationError{"invalid_software_statement", std::move(description)});
}

bool Contains(const std::vector<std::string>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// The software statement: a JWS signed by the directory-issued key in its x5c; its software_id must be `iss`.
tl::expected<void, RegistrationError> CheckSoftwareStatement(std::string_view token, std::string_view iss,
                                                             const RegistrationContext& c) {
  auto ssa = ParseJwt(token, "software_statement");
  if (!ssa) return Statement(ssa.error().message);
  const Jwt& jwt = **ssa;
  if (jwt.Alg() != "PS256") return Statement("software_statement: alg: expected PS256");
  auto leaf = LeafOfX5c(jwt, c.trust, "software_statement");
  if (!leaf) return Statement(leaf.error().message);
  if (auto ok = VerifyPs256(jwt, X509_get0_pubkey(leaf->get()), "software_statement"); !ok) {
    return Statement(ok.error().message);
  }
  const auto software_id = jwt.String("software_id");
  if (!software_id || software_id->empty()) return Statement("software_statement: software_id: missing");
  if (*software_id != iss) return Statement("software_statement: software_id: not the request's iss");
  return {};
}

// A string claim that must be exactly `expected`.
tl::expected<void, RegistrationError> RequireValue(const Jwt& jwt, std::string_view claim, std::string_view expected) {
  const auto value = jwt.String(claim);
  if (!value) return Metadata(std::string(claim) + ": missing");
  if (*value != expected) return Metadata(std::string(claim) + ": expected " + std::string(expected));
  return {};
}

}  // namespace

bool IsAllowedRedirectUri(std::string_view uri) {
  if (uri.size() > 2048 || !IsPrintableAscii(uri) || uri.find_first_of("# ") != std::string_view::npos) return false;
  const auto host_is = [&](std::string_view scheme, std::string_view host) {
    if (!uri.starts_with(scheme)) return false;
    const std::string_view rest = uri.substr(scheme.size());
    if (!rest.starts_with(host)) return false;
    const std::string_view after = rest.substr(host.size());
    return after.empty() || after.front() == ':' || after.front() == '/' || after.front() == '?';
  };
  if (uri.starts_with("https://")) return uri.size() > 8 && uri[8] != '/';
  return host_is("http://", "127.0.0.1") || host_is("http://", "localhost");
}

tl::expected<RegisteredClient, RegistrationError> ParseRegistration(std::string_view token,
                                                                    const RegistrationContext& c) {
  auto parsed = ParseJwt(token, "registration request");
  if (!parsed) return Metadata(parsed.error().message);
  const Jwt& jwt = **parsed;
  if (jwt.Alg() != "PS256") return Metadata("registration request: alg: expected PS256");
  auto leaf = LeafOfX5c(jwt, c.trust, "registration request");
  if (!leaf) return Metadata(leaf.error().message);
  EVP_PKEY* key = X509_get0_pubkey(leaf->get());
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    return Metadata("registration request: x5c[0]: not an RSA key (PS256)");
  }
  if (auto ok = VerifyPs256(jwt, key, "registration request"); !ok) return Metadata(ok.error().message);

  RegisteredClient out;
  out.signing_key = ShareKey(key);
  out.signing_kid = std::string(jwt.HeaderString("kid").value_or(""));

  const auto iss = jwt.String("iss");
  if (!iss || iss->empty()) return Metadata("iss: missing (the software id)");
  out.software_id = std::string(*iss);
  if (!jwt.AudienceIsOneOf({c.issuer})) return Metadata("aud: not this bank's issuer");
  if (!jwt.Time("iat")) return Metadata("iat: missing");
  const auto exp = jwt.Time("exp");
  if (!exp) return Metadata("exp: missing");
  if (*exp <= c.now) return Metadata("exp: expired");
  if (const auto jti = jwt.String("jti"); !jti || jti->empty()) return Metadata("jti: missing");

  const auto redirect_uris = jwt.StringList("redirect_uris");
  if (!redirect_uris || redirect_uris->empty() || redirect_uris->size() > kMaxRedirectUris) {
    return tl::unexpected(RegistrationError{"invalid_redirect_uri", "redirect_uris: expected 1 to 20 URIs"});
  }
  for (size_t i = 0; i < redirect_uris->size(); ++i) {
    if (!IsAllowedRedirectUri((*redirect_uris)[i])) {
      return tl::unexpected(RegistrationError{
          "invalid_redirect_uri", "redirect_uris[" + std::to_string(i) +
                                      "]: expected https (http only on 127.0.0.1 or localhost), without a fragment"});
    }
  }
  out.redirect_uris = *redirect_uris;

  const auto method = jwt.String("token_endpoint_auth_method");
  if (!method) return Metadata("token_endpoint_auth_method: missing");
  if (*method == "tls_client_auth") {
    out.auth_method = ClientAuthMethod::kTlsClientAuth;
  } else if (*method == "private_key_jwt") {
    out.auth_method = ClientAuthMethod::kPrivateKeyJwt;
  } else {
    return Metadata("token_endpoint_auth_method: expected tls_client_auth or private_key_jwt");
  }
  if (std::find(c.supported.begin(), c.supported.end(), out.auth_method) == c.supported.end()) {
    return Metadata("token_endpoint_auth_method: not supported by this bank");
  }

  const auto grants = jwt.StringList("grant_types");
  if (!grants || !Contains(*grants, "authorization_code") || !Contains(*grants, "client_credentials")) {
    return Metadata("grant_types: must include authorization_code and client_credentials");
  }
  for (const std::string& g : *grants) {
    if (g != "authorization_code" && g != "client_credentials" && g != "refresh_token") {
      return Metadata("grant_types: only authorization_code, client_credentials and refresh_token are supported");
    }
  }
  out.grant_types = *grants;
  const auto responses = jwt.StringList("response_types");
  if (!responses || !Contains(*responses, "code id_token")) {
    return Metadata("response_types: must include \"code id_token\"");
  }
  out.response_types = *responses;

  const auto scope = jwt.String("scope");
  if (!scope || !ScopeHas(*scope, "accounts")) return Metadata("scope: must include accounts");
  out.scope = std::string(*scope);

  BANKFEED_RETURN_IF_ERROR(RequireValue(jwt, "id_token_signed_response_alg", "PS256"));
  BANKFEED_RETURN_IF_ERROR(RequireValue(jwt, "request_object_signing_alg", "PS256"));
  if (out.auth_method == ClientAuthMethod::kPrivateKeyJwt) {
    BANKFEED_RETURN_IF_ERROR(RequireValue(jwt, "token_endpoint_auth_signing_alg", "PS256"));
  } else if (const auto dn = jwt.String("tls_client_auth_subject_dn")) {
    out.tls_client_auth_subject_dn = std::string(*dn);
  }

  const auto statement = jwt.String("software_statement");
  if (!statement) return Statement("software_statement: missing");
  if (auto ok = CheckSoftwareStatement(*statement, out.software_id, c); !ok) return tl::unexpected(ok.error());
  return out;
}

}  // namespace bankfeed::sandbox::uk_ob
