// The ID token of a UK Open Banking hybrid-flow callback. See adapters/uk_ob/id_token.hpp.
#include "adapters/uk_ob/id_token.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <simdjson.h>

#include "adapters/common/bank_error.hpp"
#include "log/log.hpp"
#include "signing/base64.hpp"
#include "signing/rsa.hpp"

namespace bankfeed::uk_ob {
namespace {

namespace dom = simdjson::dom;

bool SameSecret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

class Checker {
 public:
  Checker(const IdTokenExpectations& expect) : expect_(expect) {}

  Error Fail(std::string message, ErrorCode code = ErrorCode::kConsentInvalid) const {
    const char* what = expect_.back_channel ? "token response id_token: " : "id_token: ";
    return adapters::BankError(code, what + message, expect_.bank_id);
  }
  void Relaxed(std::string_view check) const {
    log::Warn("uk.id_token.relaxed", {{"bank", expect_.bank_id}, {"check", check}});
  }

  // A string claim; nullopt when absent. kConsentInvalid when it is there but not a string.
  Result<std::optional<std::string_view>> String(dom::object claims, std::string_view name) const {
    dom::element value;
    if (claims[name].get(value) != simdjson::SUCCESS) return std::optional<std::string_view>();
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) {
      return tl::unexpected(Fail(std::string(name) + ": expected a string"));
    }
    return std::optional<std::string_view>(text);
  }
  Result<int64_t> Time(dom::object claims, std::string_view name) const {
    dom::element value;
    if (claims[name].get(value) != simdjson::SUCCESS) return tl::unexpected(Fail(std::string(name) + ": missing"));
    int64_t seconds = 0;
    double real = 0;
    if (value.get_int64().get(seconds) == simdjson::SUCCESS) return seconds;
    if (value.get_double().get(real) == simdjson::SUCCESS && real > -1e12 && real < 1e12) {
      return static_cast<int64_t>(real);  // NumericDate may carry a fraction; whole seconds are enough here
    }
    return tl::unexpected(Fail(std::string(name) + ": expected a NumericDate"));
  }
  // A hash claim (c_hash, s_hash, at_hash) against the value it covers.
  // The JSON object of a base64url part; `what` names the part ("header", "claims").
  Result<dom::object> DecodeObject(dom::parser& parser, std::string_view part, std::string& storage,
                                   const std::string& what) const {
    auto bytes = signing::Base64UrlDecode(part, what);
    if (!bytes) return tl::unexpected(Fail(what + ": not base64url"));
    storage = std::move(*bytes);
    dom::object object;
    if (parser.parse(storage).get_object().get(object) != simdjson::SUCCESS) {
      return tl::unexpected(Fail(what + ": not a JSON object"));
    }
    return object;
  }

  Status Hash(dom::object claims, std::string_view name, std::string_view covered, bool optional) const {
    BANKFEED_ASSIGN_OR_RETURN(auto value, String(claims, name));
    if (!value) {
      if (optional) return {};
      return tl::unexpected(Fail(std::string(name) + ": missing"));
    }
    if (!SameSecret(*value, HalfSha256(covered))) {
      return tl::unexpected(Fail(std::string(name) + ": does not match the " +
                                 (name == "c_hash" ? "code" : name == "s_hash" ? "state" : "access token")));
    }
    return {};
  }

 private:
  const IdTokenExpectations& expect_;
};

Status CheckHeader(const Checker& check, dom::object header) {
  std::string_view alg;
  if (header["alg"].get_string().get(alg) != simdjson::SUCCESS) return tl::unexpected(check.Fail("alg: missing"));
  if (alg != "PS256") return tl::unexpected(check.Fail("alg: expected PS256"));
  if (header["crit"].error() != simdjson::NO_SUCH_FIELD) {
    return tl::unexpected(check.Fail("crit: no critical header parameter is understood"));
  }
  std::string_view typ;
  if (header["typ"].get_string().get(typ) == simdjson::SUCCESS && typ != "JWT") {
    return tl::unexpected(check.Fail("typ: expected JWT"));
  }
  return {};
}

}  // namespace

std::string HalfSha256(std::string_view value) {
  unsigned char hash[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(value.data()), value.size(), hash);
  return signing::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(hash), SHA256_DIGEST_LENGTH / 2));
}

Result<IdTokenClaims> ValidateIdToken(std::string_view token, const Jwks& jwks, const IdTokenExpectations& expect) {
  const Checker check(expect);
  if (token.empty()) return tl::unexpected(check.Fail(expect.back_channel ? "missing" : "missing from the callback"));
  if (token.size() > kMaxIdTokenBytes) return tl::unexpected(check.Fail("larger than 16 KiB"));
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return tl::unexpected(check.Fail("expected a signed JWT (three dot-separated parts)"));
  }
  const std::string_view header_b64u = token.substr(0, dot1);
  const std::string_view claims_b64u = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view signature_b64u = token.substr(dot2 + 1);

  // The header first, and the signature before any claim is believed.
  dom::parser header_parser;
  std::string header_json;
  BANKFEED_ASSIGN_OR_RETURN(dom::object header, check.DecodeObject(header_parser, header_b64u, header_json, "header"));
  BANKFEED_RETURN_IF_ERROR(CheckHeader(check, header));
  std::string_view kid;
  if (header["kid"].error() != simdjson::NO_SUCH_FIELD && header["kid"].get_string().get(kid) != simdjson::SUCCESS) {
    return tl::unexpected(check.Fail("kid: expected a string"));
  }
  const SigningKey* key = jwks.Find(kid);
  if (key == nullptr) {
    return tl::unexpected(check.Fail(kid.empty() ? "kid: missing, and the bank's JWKS has more than one signing key"
                                                 : "kid: not in the bank's JWKS",
                                     ErrorCode::kNotFound));
  }
  auto signature = signing::Base64UrlDecode(signature_b64u, "id_token signature");
  if (!signature) return tl::unexpected(check.Fail("signature: not base64url"));
  const std::string signing_input(token.substr(0, dot2));
  if (!signing::RsaVerify(signing::RsaScheme::kPssSha256, signing_input, *signature, key->key.get())) {
    return tl::unexpected(check.Fail("signature: does not verify with the bank's key"));
  }

  dom::parser claims_parser;
  std::string claims_json;
  BANKFEED_ASSIGN_OR_RETURN(dom::object claims, check.DecodeObject(claims_parser, claims_b64u, claims_json, "claims"));
  IdTokenClaims out;

  BANKFEED_ASSIGN_OR_RETURN(auto iss, check.String(claims, "iss"));
  if (!iss || *iss != expect.issuer) return tl::unexpected(check.Fail("iss: not the bank's issuer"));

  // aud: our client id, alone or among others; with others, azp must name us (OpenID Connect Core §3.1.3.7).
  dom::element aud;
  bool ours = false;
  size_t audiences = 0;
  if (claims["aud"].get(aud) != simdjson::SUCCESS) return tl::unexpected(check.Fail("aud: missing"));
  std::string_view one;
  dom::array list;
  if (aud.get_string().get(one) == simdjson::SUCCESS) {
    audiences = 1;
    ours = one == expect.client_id;
  } else if (aud.get_array().get(list) == simdjson::SUCCESS) {
    for (dom::element item : list) {
      if (item.get_string().get(one) != simdjson::SUCCESS) return tl::unexpected(check.Fail("aud: expected strings"));
      ++audiences;
      ours = ours || one == expect.client_id;
    }
  } else {
    return tl::unexpected(check.Fail("aud: expected a string or a list of strings"));
  }
  if (!ours) return tl::unexpected(check.Fail("aud: does not name our client id"));
  BANKFEED_ASSIGN_OR_RETURN(auto azp, check.String(claims, "azp"));
  if (audiences > 1 && (!azp || *azp != expect.client_id)) {
    return tl::unexpected(check.Fail("azp: several audiences, and azp is not our client id"));
  }
  if (azp && *azp != expect.client_id) return tl::unexpected(check.Fail("azp: not our client id"));

  BANKFEED_ASSIGN_OR_RETURN(out.exp, check.Time(claims, "exp"));
  BANKFEED_ASSIGN_OR_RETURN(out.iat, check.Time(claims, "iat"));
  const int64_t leeway = expect.leeway.count();
  if (out.exp + leeway <= expect.now) return tl::unexpected(check.Fail("exp: expired"));
  if (out.iat - leeway > expect.now) return tl::unexpected(check.Fail("iat: in the future"));
  if (out.iat + expect.max_age.count() + leeway < expect.now) return tl::unexpected(check.Fail("iat: too old"));
  if (claims["auth_time"].error() != simdjson::NO_SUCH_FIELD) {
    BANKFEED_ASSIGN_OR_RETURN(int64_t auth_time, check.Time(claims, "auth_time"));
    out.auth_time = auth_time;
  }

  BANKFEED_ASSIGN_OR_RETURN(auto nonce, check.String(claims, "nonce"));
  if (expect.back_channel && expect.nonce.empty()) {
    // A refresh: its ID token SHOULD NOT carry a nonce (OpenID Connect Core §12.2); one that does is not looked at.
  } else if (!nonce) {
    if (!expect.relax.nonce_optional) return tl::unexpected(check.Fail("nonce: missing"));
    check.Relaxed("nonce");
  } else if (!SameSecret(*nonce, expect.nonce)) {
    return tl::unexpected(check.Fail("nonce: not the one sent in the request"));
  }

  BANKFEED_ASSIGN_OR_RETURN(auto intent, check.String(claims, "openbanking_intent_id"));
  if (!intent) {
    if (!expect.back_channel) return tl::unexpected(check.Fail("openbanking_intent_id: missing"));
  } else if (*intent != expect.intent_id) {
    return tl::unexpected(check.Fail("openbanking_intent_id: not the consent's id"));
  }

  if (!expect.back_channel) {  // the token endpoint's answer covers no code and no state
    BANKFEED_RETURN_IF_ERROR(check.Hash(claims, "c_hash", expect.code, false));
    if (claims["s_hash"].error() == simdjson::NO_SUCH_FIELD && expect.relax.s_hash_optional) check.Relaxed("s_hash");
    BANKFEED_RETURN_IF_ERROR(check.Hash(claims, "s_hash", expect.state, expect.relax.s_hash_optional));
  }
  if (!expect.access_token.empty()) BANKFEED_RETURN_IF_ERROR(check.Hash(claims, "at_hash", expect.access_token, true));

  BANKFEED_ASSIGN_OR_RETURN(auto sub, check.String(claims, "sub"));
  if (!sub || sub->empty()) return tl::unexpected(check.Fail("sub: missing"));
  if (expect.back_channel) {
    // The same customer as the one who authorised: the consent's front-channel ID token's sub (§§3.3.3.6, 12.2).
    if (expect.subject.empty()) {
      return tl::unexpected(check.Fail("sub: the grant holds no subject to compare with; authorise the consent again"));
    }
    if (*sub != expect.subject) return tl::unexpected(check.Fail("sub: not the subject of the consent's ID token"));
  }
  out.sub = std::string(*sub);
  BANKFEED_ASSIGN_OR_RETURN(auto acr, check.String(claims, "acr"));
  if (acr) out.acr = std::string(*acr);
  return out;
}

Result<IdTokenClaims> ValidateIdTokenWithKeys(std::string_view token, const JwksSource& keys,
                                              const IdTokenExpectations& expect) {
  BANKFEED_ASSIGN_OR_RETURN(std::shared_ptr<const Jwks> jwks, keys(false));
  auto claims = ValidateIdToken(token, *jwks, expect);
  if (!claims && claims.error().code == ErrorCode::kNotFound) {
    // A kid the cached keys lack: the bank may have rotated its keys. Read them again, once.
    BANKFEED_ASSIGN_OR_RETURN(jwks, keys(true));
    claims = ValidateIdToken(token, *jwks, expect);
  }
  if (!claims) {
    Error e = std::move(claims).error();
    if (e.code == ErrorCode::kNotFound) e.code = ErrorCode::kConsentInvalid;
    log::Warn("uk.id_token.refused", {{"bank", expect.bank_id},
                                      {"channel", expect.back_channel ? "token" : "callback"},
                                      {"reason", e.message}});
    return tl::unexpected(std::move(e));
  }
  return claims;
}

}  // namespace bankfeed::uk_ob
