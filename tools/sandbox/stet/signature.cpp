// STET request signatures. See stet/signature.hpp.
#include "tools/sandbox/stet/signature.hpp"

#include <algorithm>

#include "common/text.hpp"
#include "signing/digest.hpp"
#include "signing/signature_header.hpp"

namespace bankfeed::sandbox::stet {
namespace {

const std::string_view* Find(const signing::RequestView& r, std::string_view name) {
  for (const signing::HeaderField& h : r.headers) {
    if (EqualsIgnoreCase(h.name, name)) return &h.value;
  }
  return nullptr;
}

SignatureCheck Invalid(std::string reason) { return {SignatureVerdict::kInvalid, std::move(reason)}; }

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string FingerprintOfKeyIdUrl(std::string_view key_id) {
  constexpr std::string_view kScheme = "https://";
  if (!key_id.starts_with(kScheme) || key_id.find_first_of("?# ") != std::string_view::npos) return {};
  const std::string_view rest = key_id.substr(kScheme.size());
  const size_t slash = rest.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return {};  // a host and at least one path segment
  const std::string_view last = rest.substr(slash + 1);
  if (last.size() != 64 + 4 || !last.ends_with(".pem") || !IsLowerHex(last.substr(0, 64))) return {};
  return std::string(last.substr(0, 64));
}

SignatureCheck VerifyStetSignature(const signing::RequestView& request, const StetOptions& options,
                                   const PublishedCertificates& published, const TrustStore& trust) {
  const std::string_view* signature = Find(request, "Signature");
  if (signature == nullptr) return {SignatureVerdict::kMissing, "Signature: missing"};
  const std::string_view* digest = Find(request, "Digest");
  if (digest == nullptr) return Invalid("Digest: missing (required, also for an empty body)");
  auto parsed = signing::ParseSignatureHeader(*signature);
  if (!parsed) return Invalid(parsed.error().message);

  const auto is_signed = [&](std::string_view name) {
    return std::find(parsed->headers.begin(), parsed->headers.end(), name) != parsed->headers.end();
  };
  std::vector<std::string> required = options.signed_headers;
  for (const std::string& name : options.signed_headers) {
    if (!is_signed(name)) return Invalid("Signature: " + name + " not signed");
  }
  for (const std::string& name : PsuContextHeaders()) {
    if (Find(request, name) == nullptr) continue;
    if (!is_signed(name)) return Invalid("Signature: " + name + " present but not signed");
    required.push_back(name);
  }
  if (auto ok = signing::VerifyDigestHeader(*digest, request.body); !ok) {
    return Invalid("Digest: does not match the body");
  }

  if (options.key_id == StetKeyId::kSerialIssuer) {
    const std::string_view* header = Find(request, "TPP-Signature-Certificate");
    if (header == nullptr) return Invalid("TPP-Signature-Certificate: missing (keyId SN=..,CA=..)");
    auto cert = DecodeSignatureCertificate(*header);
    if (!cert) return Invalid("TPP-Signature-Certificate: " + cert.error().message);
    if (!KeyIdMatches(parsed->key_id, cert->get())) {
      return Invalid("Signature: keyId is not SN=<serial>,CA=<issuer> of TPP-Signature-Certificate");
    }
    return VerifyWithCertificate(request, *parsed, cert->get(), trust, required, "TPP-Signature-Certificate");
  }
  const std::string fingerprint = FingerprintOfKeyIdUrl(parsed->key_id);
  if (fingerprint.empty()) return Invalid("Signature: keyId is not an https URL ending in <sha256 hex>.pem");
  X509* cert = published.Find(fingerprint);
  if (cert == nullptr) return Invalid("Signature: keyId names a certificate that is not published");
  return VerifyWithCertificate(request, *parsed, cert, trust, required, "Signature: keyId certificate");
}

}  // namespace bankfeed::sandbox::stet
