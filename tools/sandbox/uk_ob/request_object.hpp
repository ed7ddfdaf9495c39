// The FAPI 1.0 Advanced request object of GET /as/authorize (the `request` parameter), verified completely:
// - header alg PS256 only; the signature verifies with the client's registered key;
// - iss = client_id; aud = the issuer; client_id = the query's; response_type "code id_token" (and the query's, when
//   it has one); redirect_uri registered for the client, and the query's when it has one; scope with openid and
//   accounts; state and nonce present;
// - exp not passed, nbf present and not in the future, exp - nbf at most 60 minutes (FAPI 1.0 Adv. 5.2.2-13);
// - claims.id_token.openbanking_intent_id = {"value": <consent id>, "essential": true}, a consent of this client
//   awaiting authorisation; claims.id_token.acr essential (with values, one of the bank's).
// Errors name the claim, never its value.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "tools/sandbox/form.hpp"
#include "tools/sandbox/uk_ob/clients.hpp"
#include "tools/sandbox/uk_ob/consents.hpp"

namespace bankfeed::sandbox::uk_ob {

inline constexpr int64_t kMaxRequestObjectLifetimeS = 3600;
inline constexpr std::string_view kAcrSca = "urn:openbanking:psd2:sca";
inline constexpr std::string_view kAcrCa = "urn:openbanking:psd2:ca";

struct RequestObjectContext {
  const RegisteredClient& client;
  std::string issuer;
  const FormFields& query;
  int64_t now = 0;  // Unix seconds
  std::function<std::optional<AccessConsent>(std::string_view)> find_consent;
};

struct AuthorizationRequest {
  std::string redirect_uri, state, nonce, consent_id;
};

struct RequestObjectError {
  std::string description;
  // Known once the signature verified: the object's registered redirect_uri and its state, for the error redirect.
  std::string redirect_uri, state;
};

tl::expected<AuthorizationRequest, RequestObjectError> VerifyRequestObject(std::string_view token,
                                                                           const RequestObjectContext& context);

}  // namespace bankfeed::sandbox::uk_ob
