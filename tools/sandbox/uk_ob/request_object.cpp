// Request objects. See uk_ob/request_object.hpp.
#include "tools/sandbox/uk_ob/request_object.hpp"

namespace bankfeed::sandbox::uk_ob {
namespace {

namespace dom = simdjson::dom;

// claims.id_token.<name> as an object; std::nullopt when any step is missing or not an object.
std::optional<dom::object> IdTokenClaimRequest(const Jwt& jwt, std::string_view name) {
  dom::object out;
  if (jwt.claims()["claims"]["id_token"][name].get_object().get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

bool IsEssential(dom::object request) {
  bool essential = false;
  return request["essential"].get_bool().get(essential) == simdjson::SUCCESS && essential;
}

}  // namespace

tl::expected<AuthorizationRequest, RequestObjectError> VerifyRequestObject(std::string_view token,
                                                                           const RequestObjectContext& c) {
  RequestObjectError error;
  const auto fail = [&](std::string description) {
    error.description = std::move(description);
    return tl::unexpected(error);
  };
  auto parsed = ParseJwt(token, "request");
  if (!parsed) return fail(parsed.error().message);
  const Jwt& jwt = **parsed;
  if (jwt.Alg() != "PS256") return fail("request: alg: expected PS256");
  if (auto ok = VerifyPs256(jwt, c.client.signing_key.get(), "request"); !ok) {
    return fail(ok.error().message + " with the client's registered key");
  }

  // Signed by the client: its registered redirect_uri and its state may carry an error from here on.
  AuthorizationRequest out;
  const std::string* query_redirect = FindField(c.query, "redirect_uri");
  const auto redirect = jwt.String("redirect_uri");
  if (redirect && c.client.HasRedirectUri(*redirect)) error.redirect_uri = std::string(*redirect);
  if (const auto state = jwt.String("state")) error.state = std::string(*state);

  if (jwt.String("iss") != c.client.client_id) return fail("request: iss: not the client_id");
  if (!jwt.AudienceIsOneOf({c.issuer})) return fail("request: aud: not this bank's issuer");
  if (jwt.String("client_id") != c.client.client_id) return fail("request: client_id: not the query's client_id");
  const auto response_type = jwt.String("response_type");
  if (response_type != "code id_token") return fail("request: response_type: expected \"code id_token\"");
  if (const std::string* q = FindField(c.query, "response_type"); q != nullptr && *q != *response_type) {
    return fail("response_type: the query's is not the request object's");
  }
  if (!redirect) return fail("request: redirect_uri: missing");
  if (!c.client.HasRedirectUri(*redirect)) return fail("request: redirect_uri: not registered for the client");
  if (query_redirect != nullptr && *query_redirect != *redirect) {
    return fail("redirect_uri: the query's is not the request object's");
  }
  out.redirect_uri = std::string(*redirect);
  const auto scope = jwt.String("scope");
  if (!scope || !ScopeHas(*scope, "openid") || !ScopeHas(*scope, "accounts")) {
    return fail("request: scope: must include openid and accounts");
  }
  if (error.state.empty()) return fail("request: state: missing");
  out.state = error.state;
  const auto nonce = jwt.String("nonce");
  if (!nonce || nonce->empty()) return fail("request: nonce: missing");
  out.nonce = std::string(*nonce);

  const auto exp = jwt.Time("exp"), nbf = jwt.Time("nbf");
  if (!exp) return fail("request: exp: missing");
  if (*exp <= c.now) return fail("request: exp: expired");
  if (!nbf) return fail("request: nbf: missing");
  if (*nbf > c.now) return fail("request: nbf: in the future");
  if (*exp - *nbf > kMaxRequestObjectLifetimeS) return fail("request: exp: more than 60 minutes after nbf");

  const auto intent = IdTokenClaimRequest(jwt, "openbanking_intent_id");
  std::string_view consent_id;
  if (!intent || (*intent)["value"].get_string().get(consent_id) != simdjson::SUCCESS || !IsEssential(*intent)) {
    return fail(
        "request: claims.id_token.openbanking_intent_id: expected {\"value\": <ConsentId>, \"essential\": true}");
  }
  const auto consent = c.find_consent(consent_id);
  if (!consent || consent->client_id != c.client.client_id) {
    return fail("request: claims.id_token.openbanking_intent_id: not a consent of this client");
  }
  // Awaiting its first authorisation, or authorised and authorised again (re-authentication, the UK 90-day rule).
  if (consent->status != AccessConsentStatus::kAwaitingAuthorisation &&
      consent->status != AccessConsentStatus::kAuthorised) {
    return fail("request: claims.id_token.openbanking_intent_id: the consent is not awaiting authorisation");
  }
  out.consent_id = consent->id;
  const auto acr = IdTokenClaimRequest(jwt, "acr");
  if (!acr || !IsEssential(*acr)) return fail("request: claims.id_token.acr: expected {\"essential\": true, ...}");
  dom::array values;
  if ((*acr)["values"].get_array().get(values) == simdjson::SUCCESS) {
    bool known = false;
    for (dom::element v : values) {
      std::string_view word;
      if (v.get_string().get(word) == simdjson::SUCCESS && (word == kAcrSca || word == kAcrCa)) known = true;
    }
    if (!known) return fail("request: claims.id_token.acr: values: none this bank supports");
  }
  return out;
}

}  // namespace bankfeed::sandbox::uk_ob
