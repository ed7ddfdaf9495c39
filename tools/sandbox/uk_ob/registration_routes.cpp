// Dynamic client registration: POST /as/register (RFC 7591, UK DCR 3.3) and its management, GET/PUT/DELETE
// /as/register/{client_id} (RFC 7592) with the client's client-credentials token.
#include "log/log.hpp"
#include "tools/sandbox/json_writer.hpp"
#include "tools/sandbox/uk_ob/module.hpp"
#include "tools/sandbox/uk_ob/registration.hpp"

namespace bankfeed::sandbox::uk_ob {
namespace {

void WriteList(JsonWriter& w, std::string_view key, const std::vector<std::string>& items) {
  w.Key(key).BeginArray();
  for (const std::string& item : items) w.String(item);
  w.EndArray();
}

std::string RegistrationJson(const RegisteredClient& c) {
  JsonWriter w;
  w.BeginObject();
  w.Key("client_id").String(c.client_id);
  w.Key("client_id_issued_at").Int(c.issued_at);
  WriteList(w, "redirect_uris", c.redirect_uris);
  w.Key("token_endpoint_auth_method").String(ClientAuthMethodName(c.auth_method));
  WriteList(w, "grant_types", c.grant_types);
  WriteList(w, "response_types", c.response_types);
  w.Key("scope").String(c.scope);
  w.Key("software_id").String(c.software_id);
  w.Key("id_token_signed_response_alg").String("PS256");
  w.Key("request_object_signing_alg").String("PS256");
  if (c.auth_method == ClientAuthMethod::kPrivateKeyJwt) {
    w.Key("token_endpoint_auth_signing_alg").String("PS256");
  } else if (!c.tls_client_auth_subject_dn.empty()) {
    w.Key("tls_client_auth_subject_dn").String(c.tls_client_auth_subject_dn);
  }
  w.EndObject();
  return w.Take();
}

// Shared by POST and PUT: the checked client from the request body, or the 400 written and std::nullopt.
std::optional<RegisteredClient> ParseRegistrationRequest(const httplib::Request& req, httplib::Response& res,
                                                         Services& s) {
  if (req.get_header_value("Content-Type").rfind("application/jwt", 0) != 0) {
    ++s.stats.bad_registration;
    OAuthErrorAnswer(res, 400, "invalid_client_metadata", "Content-Type: expected application/jwt");
    return std::nullopt;
  }
  const RegistrationContext context{s.trust, s.base_url, s.scenario.behaviour.oidc.client_auth, UnixNow()};
  auto client = ParseRegistration(req.body, context);
  if (!client) {
    ++s.stats.bad_registration;
    log::Info("sandbox.uk.register", {{"ok", false}, {"error", client.error().error}});
    OAuthErrorAnswer(res, 400, client.error().error, client.error().description);
    return std::nullopt;
  }
  client->tls_fingerprint = PeerFingerprint(req);
  return std::move(*client);
}

}  // namespace

void UkObModule::Register(const httplib::Request& req, httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  auto client = ParseRegistrationRequest(req, res, s_);
  if (!client) return;
  client->issued_at = UnixNow();
  const RegisteredClient added = clients_.Add(std::move(*client));
  log::Info("sandbox.uk.register", {{"ok", true}, {"method", ClientAuthMethodName(added.auth_method)}});
  JsonAnswer(res, 201, RegistrationJson(added));
}

std::optional<RegisteredClient> UkObModule::ManagedClient(const httplib::Request& req, httplib::Response& res) {
  const std::string client_id = req.matches[1].str();
  const auto grant = BearerGrant(req);
  auto client = clients_.Get(client_id);
  if (!grant || !grant->consent_id.empty() || grant->client_id != client_id || !client ||
      grant->cert_fingerprint != PeerFingerprint(req)) {
    ++s_.stats.bad_access_token;
    res.status = 401;
    res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return std::nullopt;
  }
  return client;
}

void UkObModule::ReadRegistration(const httplib::Request& req, httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  if (const auto client = ManagedClient(req, res)) JsonAnswer(res, 200, RegistrationJson(*client));
}

void UkObModule::UpdateRegistration(const httplib::Request& req, httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  const auto existing = ManagedClient(req, res);
  if (!existing) return;
  auto client = ParseRegistrationRequest(req, res, s_);
  if (!client) return;
  if (client->software_id != existing->software_id) {
    ++s_.stats.bad_registration;
    return OAuthErrorAnswer(res, 400, "invalid_client_metadata", "iss: not the registered software_id");
  }
  clients_.Replace(existing->client_id, std::move(*client));
  JsonAnswer(res, 200, RegistrationJson(*clients_.Get(existing->client_id)));
}

void UkObModule::DeleteRegistration(const httplib::Request& req, httplib::Response& res) {
  const auto client = ManagedClient(req, res);
  if (!client) return;
  clients_.Remove(client->client_id);
  tokens_.RevokeClient(client->client_id);
  res.status = 204;
}

}  // namespace bankfeed::sandbox::uk_ob
