// Dynamic client registration at a UK Open Banking bank (UK DCR 3.3; RFC 7591, RFC 7592): the signed registration
// request, its update and its deletion. See include/bankfeed/registration.hpp.
#include <simdjson.h>

#include "adapters/common/bank_error.hpp"
#include "adapters/uk_ob/connector.hpp"
#include "http/retry.hpp"
#include "log/log.hpp"
#include "signing/compact_jws.hpp"

namespace bankfeed::uk_ob {
namespace {

namespace dom = simdjson::dom;

// The software_id of a software statement (read, not verified: it is the TPP's own, as its directory issued it).
Result<std::string> SoftwareId(std::string_view ssa, std::string_view bank_id) {
  const auto bad = [&](std::string why) {
    return tl::unexpected(adapters::BankError(ErrorCode::kInvalidArgument, "software statement: " + why, bank_id));
  };
  auto jws = signing::SplitCompactJws(ssa, "software statement");
  if (!jws) return bad("not a signed JWT");
  dom::parser parser;
  std::string_view id;
  if (parser.parse(jws->claims_json)["software_id"].get_string().get(id) != simdjson::SUCCESS || id.empty()) {
    return bad("software_id: missing");
  }
  return std::string(id);
}

// The registration the bank answered (RFC 7591 §3.2.1). kProtocol naming the field.
Result<ClientRegistration> ParseRegistration(std::string_view body, std::string_view bank_id) {
  const auto bad = [&](std::string why) {
    return tl::unexpected(adapters::BankError(ErrorCode::kProtocol, "registration: " + why, bank_id));
  };
  dom::parser parser;
  dom::object root;
  if (parser.parse(body.data(), body.size()).get_object().get(root) != simdjson::SUCCESS) {
    return bad("not a JSON object");
  }
  ClientRegistration out;
  std::string_view text;
  if (root["client_id"].get_string().get(text) != simdjson::SUCCESS || text.empty()) return bad("client_id: missing");
  out.client_id.assign(text);
  int64_t issued = 0;
  if (root["client_id_issued_at"].get_int64().get(issued) == simdjson::SUCCESS) out.client_id_issued_at = issued;
  if (root["token_endpoint_auth_method"].get_string().get(text) == simdjson::SUCCESS) {
    out.token_endpoint_auth_method.assign(text);
  }
  dom::array uris;
  if (root["redirect_uris"].get_array().get(uris) == simdjson::SUCCESS) {
    for (dom::element uri : uris) {
      if (uri.get_string().get(text) != simdjson::SUCCESS) return bad("redirect_uris: expected strings");
      out.redirect_uris.emplace_back(text);
    }
  }
  return out;
}

// A registration endpoint's refusal (RFC 7591 §3.2.2): its `error` code when it is a plain token, never the
// description.
Error RegistrationError(const http::Response& response, std::string_view bank_id, std::string_view operation) {
  Error e = http::StatusError(response, bank_id);
  std::string code;
  dom::parser parser;
  std::string_view text;
  if (parser.parse(response.body.data(), response.body.size())["error"].get_string().get(text) ==
          simdjson::SUCCESS &&
      !text.empty() && text.size() <= 64 &&
      text.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos) {
    code.assign(text);
  }
  if (response.status == 400) e.code = ErrorCode::kInvalidArgument;
  e.bank_code = code;
  e.message = std::string(operation) + ": the bank answered HTTP " + std::to_string(response.status) +
              (code.empty() ? std::string() : " " + code);
  return e;
}

}  // namespace

Result<std::string> UkConnector::RegistrationRequest(const ClientRegistrationRequest& request) {
  BANKFEED_ASSIGN_OR_RETURN(const Discovery* provider, Provider());
  if (request.redirect_uris.empty()) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "registration.redirect_uris: empty")));
  }
  RegistrationClaims claims;
  BANKFEED_ASSIGN_OR_RETURN(claims.software_id, SoftwareId(request.software_statement, profile_.id));
  claims.issuer = provider->issuer;
  claims.software_statement = request.software_statement;
  claims.redirect_uris = request.redirect_uris;
  claims.client_auth = profile_.oauth2->client_auth;
  claims.scope = "openid " + profile_.oauth2->scope;
  claims.now = WallSeconds();
  if (claims.client_auth == ClientAuthMethod::kTlsClientAuth) {
    BANKFEED_ASSIGN_OR_RETURN(auto qwac, pki::Credential::Load(qwac_));
    claims.tls_client_auth_subject_dn = qwac.SubjectDn();
  }
  return signer_.RegistrationRequest(claims);
}

Result<ClientRegistration> UkConnector::SendRegistration(const std::string& method, const std::string& url,
                                                         const ClientRegistrationRequest& request,
                                                         std::string bearer) {
  BANKFEED_ASSIGN_OR_RETURN(std::string jwt, RegistrationRequest(request));
  http::Request send;
  send.method = method;
  send.url = url;
  send.body = std::move(jwt);
  send.headers = {{"Content-Type", "application/jwt"}, {"Accept", "application/json"}};
  if (!bearer.empty()) send.headers.push_back({"Authorization", "Bearer " + bearer});
  const std::string operation = method == "POST" ? "register" : "update the registration";
  auto response = http::SendWithRetry(*client_, std::move(send), profile_.retry, retry_env_);
  if (!response) {
    Error e = WithBank(std::move(response).error());
    e.message = operation + ": " + e.message;
    return tl::unexpected(std::move(e));
  }
  if (response->status != 200 && response->status != 201) {
    return tl::unexpected(RegistrationError(*response, profile_.id, operation));
  }
  auto registration = ParseRegistration(response->body, profile_.id);
  if (!registration) return tl::unexpected(BodyError(std::move(registration).error(), operation, *response));
  log::Info("uk.registration", {{"bank", profile_.id}, {"operation", operation}});
  return registration;
}

Result<ClientRegistration> UkConnector::Register(const ClientRegistrationRequest& request) {
  BANKFEED_ASSIGN_OR_RETURN(const Discovery* provider, Provider());
  if (provider->registration_endpoint.empty()) {
    return tl::unexpected(WithBank(Error(ErrorCode::kConfig,
                                         "register: the bank's discovery document names no registration_endpoint")));
  }
  return SendRegistration("POST", provider->registration_endpoint, request, "");
}

Result<ClientRegistration> UkConnector::Update(const ClientRegistrationRequest& request) {
  if (client_id_.empty()) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "oauth_client_id: not set: nothing to update")));
  }
  BANKFEED_ASSIGN_OR_RETURN(const Discovery* provider, Provider());
  BANKFEED_ASSIGN_OR_RETURN(std::string token, ClientToken());
  return SendRegistration("PUT", provider->registration_endpoint + "/" + adapters::PercentEncode(client_id_), request,
                          std::move(token));
}

Status UkConnector::Delete() {
  if (client_id_.empty()) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "oauth_client_id: not set: nothing to delete")));
  }
  BANKFEED_ASSIGN_OR_RETURN(const Discovery* provider, Provider());
  BANKFEED_ASSIGN_OR_RETURN(std::string token, ClientToken());
  http::Request send;
  send.method = "DELETE";
  send.url = provider->registration_endpoint + "/" + adapters::PercentEncode(client_id_);
  send.headers = {{"Authorization", "Bearer " + token}};
  auto response = http::SendWithRetry(*client_, std::move(send), profile_.retry, retry_env_);
  if (!response) return tl::unexpected(WithBank(std::move(response).error()));
  if (response->status != 204 && response->status != 200) {
    return tl::unexpected(RegistrationError(*response, profile_.id, "delete the registration"));
  }
  {
    std::lock_guard lock(mu_);
    client_token_.clear();
  }
  log::Info("uk.registration", {{"bank", profile_.id}, {"operation", "delete"}});
  return {};
}

}  // namespace bankfeed::uk_ob
