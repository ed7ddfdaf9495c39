#include "signing/jws.hpp"

#include "signing/base64.hpp"
#include "signing/rsa.hpp"

namespace bankfeed::signing {
namespace {

tl::unexpected<Error> BadJws(std::string_view reason) {
  return MakeError(ErrorCode::kInvalidInput, "JWS: " + std::string(reason));
}

}  // namespace

std::string JwsSigningInput(std::string_view header_b64u, std::string_view body, bool b64) {
  std::string input(header_b64u);
  input += '.';
  if (b64) {
    input += Base64UrlEncode(body);
  } else {
    input += body;
  }
  return input;
}

Result<std::string> SignDetachedJws(std::string_view body, const JwsOptions& options, EVP_PKEY* key) {
  return SignDetachedJws(body, options, key,
                         std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

Result<std::string> SignDetachedJws(std::string_view body, const JwsOptions& options, EVP_PKEY* key,
                                    std::chrono::sys_seconds iat) {
  BANKFEED_RETURN_IF_ERROR(options.Validate());
  const std::string header = Base64UrlEncode(WriteJwsHeader(options, iat.time_since_epoch().count()));
  const bool b64 = options.form == JwsOptions::Form::kV314Plus;
  BANKFEED_ASSIGN_OR_RETURN(const std::string signature,
                            RsaSign(RsaScheme::kPssSha256, JwsSigningInput(header, body, b64), key));
  return header + ".." + Base64UrlEncode(signature);
}

Result<DetachedJws> ParseDetachedJws(std::string_view jws) {
  if (jws.empty()) return BadJws("empty");
  if (jws.size() > kMaxJwsSize) return BadJws("too long");
  const size_t first = jws.find('.');
  const size_t second = first == std::string_view::npos ? first : jws.find('.', first + 1);
  if (second == std::string_view::npos || jws.find('.', second + 1) != std::string_view::npos) {
    return BadJws("not three parts separated by '.'");
  }
  if (second != first + 1) return BadJws("the payload part is not empty (expected a detached JWS)");
  DetachedJws out;
  out.header_b64u = std::string(jws.substr(0, first));
  if (out.header_b64u.empty()) return BadJws("empty header part");
  const std::string_view signature_b64u = jws.substr(second + 1);
  if (signature_b64u.empty()) return BadJws("empty signature part");
  BANKFEED_ASSIGN_OR_RETURN(const std::string header_json, Base64UrlDecode(out.header_b64u, "JWS: header"));
  BANKFEED_ASSIGN_OR_RETURN(out.header, ParseJwsHeader(header_json));
  BANKFEED_ASSIGN_OR_RETURN(out.signature, Base64UrlDecode(signature_b64u, "JWS: signature"));
  return out;
}

Status VerifyDetachedJws(std::string_view jws, std::string_view body, EVP_PKEY* public_key,
                         const JwsVerifyOptions& options) {
  BANKFEED_ASSIGN_OR_RETURN(const DetachedJws parsed, ParseDetachedJws(jws));
  const JwsHeader& h = parsed.header;
  if (options.form) {
    const bool want_b64 = *options.form == JwsOptions::Form::kV314Plus;
    if (h.b64 != want_b64) {
      return BadJws(want_b64 ? "b64=false form, but this bank signs in the v3.1.4+ form"
                          : "v3.1.4+ form, but this bank signs with b64=false");
    }
  }
  if (!options.expected_kid.empty() && h.kid != options.expected_kid) return BadJws("kid: not the expected key");
  if (!options.expected_issuer.empty() && h.iss != options.expected_issuer) return BadJws("iss: not the expected issuer");
  if (!options.expected_trust_anchor.empty() && h.tan != options.expected_trust_anchor) {
    return BadJws("tan: not the expected trust anchor");
  }
  auto verified =
      RsaVerify(RsaScheme::kPssSha256, JwsSigningInput(parsed.header_b64u, body, h.b64), parsed.signature, public_key);
  if (!verified && verified.error().code == ErrorCode::kInvalidInput) return BadJws(verified.error().message);
  return verified;
}

}  // namespace bankfeed::signing
