// The JWTs the UK client signs. See adapters/uk_ob/client_jwt.hpp.
#include "adapters/uk_ob/client_jwt.hpp"

#include "adapters/common/bank_error.hpp"
#include "adapters/common/oauth2.hpp"
#include "common/json_object.hpp"
#include "signing/compact_jws.hpp"

namespace bankfeed::uk_ob {

Result<ClientSigner> ClientSigner::Make(const CredentialSource& qseal, std::string kid, std::string_view bank_id) {
  if (kid.empty()) {
    return tl::unexpected(adapters::BankError(ErrorCode::kConfig, "signing.jws.kid: empty", bank_id));
  }
  auto credential = pki::Credential::Load(qseal);
  if (!credential) {
    Error e = std::move(credential).error();
    e.bank_id = std::string(bank_id);
    return tl::unexpected(std::move(e));
  }
  return ClientSigner(std::move(*credential), std::move(kid), std::string(bank_id));
}

Result<std::string> ClientSigner::Sign(std::string_view claims_json, std::string_view typ, bool with_x5c) const {
  JsonObjectWriter header;
  header.Str("alg", "PS256").Str("kid", kid_).Str("typ", typ);
  if (with_x5c) header.StrList("x5c", {credential_.CertificateDerBase64()});
  auto token = signing::SignCompactJwsPs256(header.Finish(), claims_json, credential_.key());
  if (!token) {
    Error e = std::move(token).error();
    e.bank_id = bank_id_;
    return tl::unexpected(std::move(e));
  }
  return token;
}

Result<std::string> ClientSigner::RequestObject(const RequestObjectClaims& c) const {
  std::string intent = JsonObjectWriter().Str("value", c.intent_id).Bool("essential", true).Finish();
  std::string acr = JsonObjectWriter()
                        .Bool("essential", true)
                        .StrList("values", {"urn:openbanking:psd2:sca", "urn:openbanking:psd2:ca"})
                        .Finish();
  std::string claims = JsonObjectWriter()
                           .Raw("userinfo", JsonObjectWriter().Raw("openbanking_intent_id", intent).Finish())
                           .Raw("id_token",
                                JsonObjectWriter().Raw("openbanking_intent_id", intent).Raw("acr", acr).Finish())
                           .Finish();
  JsonObjectWriter w;
  w.Str("iss", c.client_id)
      .Str("aud", c.issuer)
      .Str("response_type", "code id_token")
      .Str("client_id", c.client_id)
      .Str("redirect_uri", c.redirect_uri)
      .Str("scope", c.scope)
      .Str("state", c.state)
      .Str("nonce", c.nonce)
      .Int("iat", c.now)
      .Int("nbf", c.now)
      .Int("exp", c.now + c.lifetime.count())
      .Str("jti", adapters::RandomUrlToken(16));
  if (c.max_age.count() > 0) w.Int("max_age", c.max_age.count());
  w.Raw("claims", claims);
  return Sign(w.Finish(), "oauth-authz-req+jwt", false);
}

Result<std::string> ClientSigner::ClientAssertion(std::string_view client_id, std::string_view token_endpoint,
                                                  int64_t now) const {
  std::string claims = JsonObjectWriter()
                           .Str("iss", client_id)
                           .Str("sub", client_id)
                           .Str("aud", token_endpoint)
                           .Str("jti", adapters::RandomUrlToken(16))
                           .Int("iat", now)
                           .Int("exp", now + 300)
                           .Finish();
  return Sign(claims, "JWT", false);
}

Result<std::string> ClientSigner::RegistrationRequest(const RegistrationClaims& c) const {
  JsonObjectWriter w;
  w.Str("iss", c.software_id)
      .Str("aud", c.issuer)
      .Int("iat", c.now)
      .Int("exp", c.now + 300)
      .Str("jti", adapters::RandomUrlToken(16))
      .StrList("redirect_uris", c.redirect_uris)
      .Str("token_endpoint_auth_method", ClientAuthMethodName(c.client_auth))
      .StrList("grant_types", {"authorization_code", "refresh_token", "client_credentials"})
      .StrList("response_types", {"code id_token"})
      .Str("software_id", c.software_id)
      .Str("scope", c.scope)
      .Str("software_statement", c.software_statement)
      .Str("application_type", "web")
      .Str("id_token_signed_response_alg", "PS256")
      .Str("request_object_signing_alg", "PS256");
  if (c.client_auth == ClientAuthMethod::kPrivateKeyJwt) {
    w.Str("token_endpoint_auth_signing_alg", "PS256");
  } else {
    w.Str("tls_client_auth_subject_dn", c.tls_client_auth_subject_dn);
  }
  return Sign(w.Finish(), "JWT", true);
}

}  // namespace bankfeed::uk_ob
