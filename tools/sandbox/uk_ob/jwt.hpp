// Reading the JWTs a UK Open Banking client sends the sandbox bank (registration requests, software statements,
// client assertions, request objects): a compact JWS split with signing::SplitCompactJws, its header and claims
// parsed as JSON objects, and typed access to claims. Signature checks stay with the caller (which key, which alg);
// every error names the part or claim, never a value.
//
//   auto jwt = ParseJwt(token, "client_assertion");
//   if (!jwt) return Refuse(jwt.error().message);
//   if ((*jwt)->Alg() != "PS256") ...
//   auto iss = (*jwt)->String("iss");
#pragma once

#include <openssl/types.h>
#include <simdjson.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/result.hpp"
#include "pki/openssl_ptr.hpp"
#include "signing/compact_jws.hpp"
#include "tools/sandbox/tls.hpp"

namespace bankfeed::sandbox::uk_ob {

// The sandbox's EVP_PKEY ownership, shareable between a registered client and a verification in progress.
using SharedKey = std::shared_ptr<EVP_PKEY>;
SharedKey ShareKey(EVP_PKEY* key);  // takes one reference: the caller's stays

class Jwt {
 public:
  const signing::CompactJws& jws() const { return jws_; }
  simdjson::dom::object header() const { return header_; }
  simdjson::dom::object claims() const { return claims_; }

  // The header's alg ("" when absent or not a string).
  std::string_view Alg() const;
  // A string member of the header or the claims; std::nullopt when absent or not a string.
  std::optional<std::string_view> HeaderString(std::string_view name) const;
  std::optional<std::string_view> String(std::string_view name) const;
  // A NumericDate claim (integer, or a number with a fraction cut off); std::nullopt when absent or not a number.
  std::optional<int64_t> Time(std::string_view name) const;
  // aud as a string or a list of strings holding one of `accepted`.
  bool AudienceIsOneOf(std::initializer_list<std::string_view> accepted) const;
  // A claim that is a list of strings; std::nullopt when absent or not such a list.
  std::optional<std::vector<std::string>> StringList(std::string_view name) const;

 private:
  friend Result<std::unique_ptr<Jwt>> ParseJwt(std::string_view token, std::string_view what);
  signing::CompactJws jws_;
  simdjson::dom::parser header_parser_, claims_parser_;
  simdjson::dom::object header_, claims_;
};

// Splits and parses a compact JWS. kInvalidInput "<what>: ..." when it is not three base64url parts or the header
// or claims are not JSON objects. (A heap object: the parsed JSON points into its parsers.)
Result<std::unique_ptr<Jwt>> ParseJwt(std::string_view token, std::string_view what);

// Whether the space-separated `scope` holds `word`.
bool ScopeHas(std::string_view scope, std::string_view word);

// The JWS header's x5c (RFC 7515 §4.1.6): x5c[0], decoded from base64 DER and checked to chain to `trust` (the
// sandbox's stand-in for the Open Banking Directory). kInvalidInput "<what>: x5c ..." naming the problem.
Result<pki::X509Ptr> LeafOfX5c(const Jwt& jwt, const TrustStore& trust, std::string_view what);

// PS256 over the JWS with `key`; kInvalidInput "<what>: signature does not verify" otherwise.
Status VerifyPs256(const Jwt& jwt, EVP_PKEY* key, std::string_view what);

// Base64url of the left half of SHA-256 (the c_hash / s_hash / at_hash of PS256; OpenID Connect Core §3.3.2.11).
std::string HalfSha256(std::string_view value);

}  // namespace bankfeed::sandbox::uk_ob
