// Compact JWS with PS256. See signing/compact_jws.hpp.
#include "signing/compact_jws.hpp"

#include "signing/base64.hpp"
#include "signing/rsa.hpp"

namespace bankfeed::signing {

Result<std::string> SignCompactJwsPs256(std::string_view header_json, std::string_view claims_json, EVP_PKEY* key) {
  std::string input = Base64UrlEncode(header_json);
  input += '.';
  input += Base64UrlEncode(claims_json);
  BANKFEED_ASSIGN_OR_RETURN(const std::string signature, RsaSign(RsaScheme::kPssSha256, input, key));
  input += '.';
  input += Base64UrlEncode(signature);
  return input;
}

Result<CompactJws> SplitCompactJws(std::string_view token, std::string_view what) {
  const auto bad = [&](std::string_view reason) {
    return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": " + std::string(reason));
  };
  if (token.empty()) return bad("empty");
  if (token.size() > kMaxCompactJwsBytes) return bad("larger than 64 KiB");
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return bad("expected a signed JWT (three dot-separated parts)");
  }
  CompactJws out;
  auto header = Base64UrlDecode(token.substr(0, dot1), "header");
  if (!header || header->empty()) return bad("header: not base64url");
  auto claims = Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1), "claims");
  if (!claims || claims->empty()) return bad("claims: not base64url");
  auto signature = Base64UrlDecode(token.substr(dot2 + 1), "signature");
  if (!signature || signature->empty()) return bad("signature: not base64url, or empty");
  out.header_json = std::move(*header);
  out.claims_json = std::move(*claims);
  out.signature = std::move(*signature);
  out.signing_input = std::string(token.substr(0, dot2));
  return out;
}

Status VerifyCompactJwsPs256(const CompactJws& jws, EVP_PKEY* key) {
  return RsaVerify(RsaScheme::kPssSha256, jws.signing_input, jws.signature, key);
}

}  // namespace bankfeed::signing
