#include "adapters/common/cavage_signer.hpp"

#include "adapters/common/url.hpp"
#include "signing/cavage.hpp"
#include "signing/certificate.hpp"

namespace bankfeed::adapters {

Result<std::string> CavageSigner::ResolveKeyIdUrl(std::string_view url, X509* certificate) {
  constexpr std::string_view kPlaceholder = "{fingerprint}";
  std::string out(url);
  const size_t at = out.find(kPlaceholder);
  if (at == std::string::npos && !out.ends_with('/')) return out;
  const std::string fingerprint = signing::CertificateSha256Hex(certificate);
  if (fingerprint.empty()) return MakeError(ErrorCode::kConfig, "QSealC: cannot compute its SHA-256 fingerprint");
  if (at != std::string::npos) return out.replace(at, kPlaceholder.size(), fingerprint);
  return out + fingerprint + ".pem";
}

Result<CavageSigner> CavageSigner::Make(const CredentialSource& qseal, const CavageOptions& options,
                                        std::string_view qseal_url) {
  CavageOptions resolved = options;
  const bool url_form = options.key_id_format == CavageOptions::KeyIdFormat::kUrl;
  if (url_form && resolved.key_id_url.empty()) {
    if (qseal_url.empty()) {
      return MakeError(ErrorCode::kConfig,
                       "tpp.qseal_url: not set, and this bank fetches the QSealC from the URL in the signature's "
                       "keyId (signing.cavage.key_id_format: url)");
    }
    resolved.key_id_url = std::string(qseal_url);
  }
  auto credential = pki::Credential::Load(qseal);
  if (!credential) {
    Error e = credential.error();
    e.message = "QSealC: " + e.message;
    return tl::unexpected(std::move(e));
  }
  BANKFEED_RETURN_IF_ERROR(signing::CheckKeyMatchesCertificate(credential->certificate(), credential->key()));
  if (url_form) {
    BANKFEED_ASSIGN_OR_RETURN(resolved.key_id_url, ResolveKeyIdUrl(resolved.key_id_url, credential->certificate()));
  }
  BANKFEED_RETURN_IF_ERROR(resolved.Validate());
  return CavageSigner(std::move(*credential), std::move(resolved));
}

Status CavageSigner::Sign(http::Request& request) const {
  BANKFEED_ASSIGN_OR_RETURN(auto url, ParseUrl(request.url, "request URL"));
  std::string target = url.Target();
  std::vector<http::Header> headers = request.headers;
  if (!request.RequestId()) headers.push_back({"X-Request-ID", http::NewRequestId()});
  signing::RequestView view{request.method, target, {}, request.body};
  for (const auto& h : headers) view.headers.push_back({h.name, h.value});
  // The certificate header goes with the serial/issuer keyId only: with the URL form the bank fetches it (STET).
  X509* certificate =
      options_.key_id_format == CavageOptions::KeyIdFormat::kSerialIssuer ? credential_->certificate() : nullptr;
  BANKFEED_ASSIGN_OR_RETURN(auto signed_headers,
                            signing::SignCavage(view, options_, credential_->key(), certificate));
  request.headers = std::move(headers);
  if (!http::FindHeader(request.headers, "Digest")) request.headers.push_back({"Digest", signed_headers.digest});
  request.headers.push_back({"Signature", signed_headers.signature});
  if (!signed_headers.signature_certificate.empty()) {
    request.headers.push_back({"TPP-Signature-Certificate", signed_headers.signature_certificate});
  }
  return {};
}

}  // namespace bankfeed::adapters
