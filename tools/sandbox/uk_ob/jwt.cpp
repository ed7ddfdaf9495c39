// Reading client JWTs. See uk_ob/jwt.hpp.
#include "tools/sandbox/uk_ob/jwt.hpp"

#include <openssl/sha.h>

#include "signing/base64.hpp"

namespace bankfeed::sandbox::uk_ob {
namespace {

namespace dom = simdjson::dom;

constexpr size_t kMaxX5cEntries = 10;

std::optional<std::string_view> StringMember(dom::object object, std::string_view name) {
  std::string_view text;
  if (object[name].get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
  return text;
}

std::string Sha256(std::string_view bytes) {
  unsigned char hash[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), hash);
  return std::string(reinterpret_cast<const char*>(hash), sizeof hash);
}

}  // namespace

SharedKey ShareKey(EVP_PKEY* key) {
  if (key == nullptr || EVP_PKEY_up_ref(key) != 1) return nullptr;
  return SharedKey(key, EVP_PKEY_free);
}

std::string_view Jwt::Alg() const { return HeaderString("alg").value_or(""); }

std::optional<std::string_view> Jwt::HeaderString(std::string_view name) const { return StringMember(header_, name); }

std::optional<std::string_view> Jwt::String(std::string_view name) const { return StringMember(claims_, name); }

std::optional<int64_t> Jwt::Time(std::string_view name) const {
  dom::element value;
  if (claims_[name].get(value) != simdjson::SUCCESS) return std::nullopt;
  int64_t seconds = 0;
  double real = 0;
  if (value.get_int64().get(seconds) == simdjson::SUCCESS) return seconds;
  if (value.get_double().get(real) == simdjson::SUCCESS && real > -1e12 && real < 1e12) {
    return static_cast<int64_t>(real);
  }
  return std::nullopt;
}

bool Jwt::AudienceIsOneOf(std::initializer_list<std::string_view> accepted) const {
  const auto ok = [&](std::string_view aud) {
    for (std::string_view a : accepted) {
      if (aud == a) return true;
    }
    return false;
  };
  dom::element aud;
  if (claims_["aud"].get(aud) != simdjson::SUCCESS) return false;
  std::string_view one;
  if (aud.get_string().get(one) == simdjson::SUCCESS) return ok(one);
  dom::array list;
  if (aud.get_array().get(list) != simdjson::SUCCESS) return false;
  for (dom::element item : list) {
    if (item.get_string().get(one) == simdjson::SUCCESS && ok(one)) return true;
  }
  return false;
}

std::optional<std::vector<std::string>> Jwt::StringList(std::string_view name) const {
  dom::array list;
  if (claims_[name].get_array().get(list) != simdjson::SUCCESS) return std::nullopt;
  std::vector<std::string> out;
  for (dom::element item : list) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
    out.emplace_back(text);
  }
  return out;
}

Result<std::unique_ptr<Jwt>> ParseJwt(std::string_view token, std::string_view what) {
  auto jws = signing::SplitCompactJws(token, what);
  if (!jws) return tl::unexpected(jws.error());
  auto jwt = std::make_unique<Jwt>();
  jwt->jws_ = std::move(*jws);
  if (jwt->header_parser_.parse(jwt->jws_.header_json).get_object().get(jwt->header_) != simdjson::SUCCESS) {
    return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": header: not a JSON object");
  }
  if (jwt->claims_parser_.parse(jwt->jws_.claims_json).get_object().get(jwt->claims_) != simdjson::SUCCESS) {
    return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": claims: not a JSON object");
  }
  return jwt;
}

bool ScopeHas(std::string_view scope, std::string_view word) {
  while (!scope.empty()) {
    const size_t space = scope.find(' ');
    if (scope.substr(0, space) == word) return true;
    if (space == std::string_view::npos) break;
    scope.remove_prefix(space + 1);
  }
  return false;
}

Result<pki::X509Ptr> LeafOfX5c(const Jwt& jwt, const TrustStore& trust, std::string_view what) {
  const std::string prefix = std::string(what) + ": x5c";
  dom::array chain;
  if (jwt.header()["x5c"].get_array().get(chain) != simdjson::SUCCESS || chain.size() == 0 ||
      chain.size() > kMaxX5cEntries) {
    return MakeError(ErrorCode::kInvalidInput, prefix + ": missing from the header (a list of 1 to 10 certificates)");
  }
  std::string_view first;
  if (chain.at(0).get_string().get(first) != simdjson::SUCCESS) {
    return MakeError(ErrorCode::kInvalidInput, prefix + "[0]: expected base64 DER");
  }
  auto der = signing::Base64Decode(first, prefix);
  if (!der) return MakeError(ErrorCode::kInvalidInput, prefix + "[0]: not base64 (RFC 7515 §4.1.6: not base64url)");
  const auto* p = reinterpret_cast<const unsigned char*>(der->data());
  pki::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der->size())));
  ERR_clear_error();
  if (!cert || p != reinterpret_cast<const unsigned char*>(der->data()) + der->size()) {
    return MakeError(ErrorCode::kInvalidInput, prefix + "[0]: not a DER certificate");
  }
  if (auto chained = trust.Verify(cert.get()); !chained) {
    return MakeError(ErrorCode::kInvalidInput,
                     prefix + "[0]: does not chain to the directory's trust anchor (" + chained.error().message + ")");
  }
  return cert;
}

Status VerifyPs256(const Jwt& jwt, EVP_PKEY* key, std::string_view what) {
  if (key == nullptr || !signing::VerifyCompactJwsPs256(jwt.jws(), key)) {
    ERR_clear_error();
    return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": signature does not verify");
  }
  return {};
}

std::string HalfSha256(std::string_view value) {
  const std::string hash = Sha256(value);
  return signing::Base64UrlEncode(std::string_view(hash).substr(0, hash.size() / 2));
}


}  // namespace bankfeed::sandbox::uk_ob
