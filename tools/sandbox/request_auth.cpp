#include "tools/sandbox/request_auth.hpp"

#include <openssl/x509.h>

#include "common/text.hpp"
#include "pki/openssl_ptr.hpp"
#include "signing/base64.hpp"
#include "signing/certificate.hpp"
#include "signing/signature_header.hpp"

namespace bankfeed::sandbox {
namespace {

constexpr size_t kMaxCertificateHeader = 16 * 1024;

const std::string_view* Header(const signing::RequestView& r, std::string_view name) {
  for (const signing::HeaderField& h : r.headers) {
    if (EqualsIgnoreCase(h.name, name)) return &h.value;
  }
  return nullptr;
}

SignatureCheck Invalid(std::string reason) { return {SignatureVerdict::kInvalid, std::move(reason)}; }

}  // namespace

Result<pki::X509Ptr> DecodeSignatureCertificate(std::string_view value) {
  value = TrimOws(value);
  if (value.size() > kMaxCertificateHeader) return MakeError(ErrorCode::kInvalidInput, "too long");
  constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----", kEnd = "-----END CERTIFICATE-----";
  if (value.starts_with(kBegin) && value.ends_with(kEnd) && value.size() >= kBegin.size() + kEnd.size()) {
    value = TrimOws(value.substr(kBegin.size(), value.size() - kBegin.size() - kEnd.size()));
  }
  BANKFEED_ASSIGN_OR_RETURN(const std::string der, signing::Base64Decode(value, "TPP-Signature-Certificate"));
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  pki::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  if (!cert || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return MakeError(ErrorCode::kInvalidInput, "not a DER certificate");
  }
  return cert;
}

bool KeyIdMatches(std::string_view key_id, X509* cert) {
  const auto expected = signing::SerialIssuerKeyId(cert, true);
  if (!expected) return false;
  const size_t theirs = key_id.find(",CA="), ours = expected->find(",CA=");
  if (theirs == std::string_view::npos || ours == std::string::npos) return false;
  return EqualsIgnoreCase(key_id.substr(0, theirs), std::string_view(*expected).substr(0, ours)) &&
         key_id.substr(theirs) == std::string_view(*expected).substr(ours);
}

SignatureCheck VerifyCavageRequest(const signing::RequestView& request, const TrustStore& trust,
                                   const CavagePolicy& policy) {
  const std::string_view* signature = Header(request, "Signature");
  if (signature == nullptr) return {SignatureVerdict::kMissing, "the Signature header is missing"};
  if (Header(request, "Digest") == nullptr) return Invalid("the Digest header is missing");
  const std::string_view* cert_header = Header(request, "TPP-Signature-Certificate");
  if (cert_header == nullptr) return Invalid("the TPP-Signature-Certificate header is missing");

  auto parsed = signing::ParseSignatureHeader(*signature);
  if (!parsed) return Invalid(parsed.error().message);
  auto cert = DecodeSignatureCertificate(*cert_header);
  if (!cert) return Invalid("TPP-Signature-Certificate: " + cert.error().message);
  if (!KeyIdMatches(parsed->key_id, cert->get())) {
    return Invalid("Signature: keyId is not SN=<serial>,CA=<issuer> of TPP-Signature-Certificate");
  }
  std::vector<std::string> required = policy.always_signed;
  for (const std::string& name : policy.signed_when_present) {
    if (Header(request, name) != nullptr) required.push_back(name);
  }
  return VerifyWithCertificate(request, *parsed, cert->get(), trust, required, "TPP-Signature-Certificate");
}

SignatureCheck VerifyWithCertificate(const signing::RequestView& request, const signing::ParsedSignature& parsed,
                                     X509* cert, const TrustStore& trust,
                                     const std::vector<std::string>& required_headers,
                                     std::string_view certificate_name) {
  const std::string name(certificate_name);
  if (auto chained = trust.Verify(cert); !chained) {
    return Invalid(name + ": does not chain to the trusted CA (" + chained.error().message + ")");
  }
  signing::CavageVerifyOptions options;
  options.required_headers = required_headers;
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (key == nullptr) return Invalid(name + ": no usable public key");
  if (auto verified = signing::VerifyCavage(request, parsed, key, options); !verified) {
    ERR_clear_error();
    return Invalid(verified.error().message);
  }
  return {SignatureVerdict::kValid, {}};
}

}  // namespace bankfeed::sandbox
