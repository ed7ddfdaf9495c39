// GET /.well-known/openid-configuration: the authorization server's metadata (OpenID Connect Discovery 1.0 §3),
// with behaviour.oidc.discovery_fault's one lie when the scenario asks for it.
#include "tools/sandbox/json_writer.hpp"
#include "tools/sandbox/uk_ob/module.hpp"
#include "tools/sandbox/uk_ob/request_object.hpp"

namespace bankfeed::sandbox::uk_ob {
namespace {

void WriteWords(JsonWriter& w, std::string_view key, std::initializer_list<std::string_view> words) {
  w.Key(key).BeginArray();
  for (std::string_view word : words) w.String(word);
  w.EndArray();
}

}  // namespace

void UkObModule::Discovery(httplib::Response& res) const {
  const OidcOptions& oidc = s_.scenario.behaviour.oidc;
  const std::string origin = Issuer();
  std::string issuer = origin, jwks_uri = origin + "/as/jwks";
  if (oidc.discovery_fault == DiscoveryFault::kOtherIssuer) issuer = "https://other-issuer.invalid.example";
  if (oidc.discovery_fault == DiscoveryFault::kHttpJwksUri) jwks_uri = "http://" + jwks_uri.substr(8);
  if (oidc.discovery_fault == DiscoveryFault::kForeignJwksUri) jwks_uri = "https://jwks.invalid.example/as/jwks";

  JsonWriter w;
  w.BeginObject();
  w.Key("issuer").String(issuer);
  w.Key("authorization_endpoint").String(origin + "/as/authorize");
  w.Key("token_endpoint").String(origin + "/as/token");
  w.Key("jwks_uri").String(jwks_uri);
  w.Key("registration_endpoint").String(origin + "/as/register");
  WriteWords(w, "response_types_supported", {"code id_token"});
  WriteWords(w, "scopes_supported", {"openid", "accounts"});
  WriteWords(w, "grant_types_supported", {"authorization_code", "client_credentials", "refresh_token"});
  w.Key("token_endpoint_auth_methods_supported").BeginArray();
  for (ClientAuthMethod m : oidc.client_auth) w.String(ClientAuthMethodName(m));
  w.EndArray();
  WriteWords(w, "id_token_signing_alg_values_supported", {"PS256"});
  WriteWords(w, "request_object_signing_alg_values_supported", {"PS256"});
  WriteWords(w, "token_endpoint_auth_signing_alg_values_supported", {"PS256"});
  w.Key("tls_client_certificate_bound_access_tokens").Bool(true);
  w.Key("claims_parameter_supported").Bool(true);
  w.Key("request_parameter_supported").Bool(true);
  w.Key("request_uri_parameter_supported").Bool(false);
  WriteWords(w, "acr_values_supported", {kAcrSca, kAcrCa});
  WriteWords(w, "subject_types_supported", {"public"});
  w.EndObject();
  JsonAnswer(res, 200, w.Take());
}

}  // namespace bankfeed::sandbox::uk_ob
