#include "adapters/common/cavage_signer.hpp"

#include "adapters/common/url.hpp"
#include "signing/cavage.hpp"
#include "signing/certificate.hpp"

namespace bankfeed::adapters {

Result<CavageSigner> CavageSigner::Make(const CredentialSource& qseal, const CavageOptions& options) {
  BANKFEED_RETURN_IF_ERROR(options.Validate());
  auto credential = pki::Credential::Load(qseal);
  if (!credential) {
    Error e = credential.error();
    e.message = "QSealC: " + e.message;
    return tl::unexpected(std::move(e));
  }
  BANKFEED_RETURN_IF_ERROR(signing::CheckKeyMatchesCertificate(credential->certificate(), credential->key()));
  return CavageSigner(std::move(*credential), options);
}

Status CavageSigner::Sign(http::Request& request) const {
  BANKFEED_ASSIGN_OR_RETURN(auto url, ParseUrl(request.url, "request URL"));
  std::string target = url.Target();
  std::vector<http::Header> headers = request.headers;
  if (!request.RequestId()) headers.push_back({"X-Request-ID", http::NewRequestId()});
  signing::RequestView view{request.method, target, {}, request.body};
  for (const auto& h : headers) view.headers.push_back({h.name, h.value});
  BANKFEED_ASSIGN_OR_RETURN(auto signed_headers,
                            signing::SignCavage(view, options_, credential_->key(), credential_->certificate()));
  request.headers = std::move(headers);
  if (!http::FindHeader(request.headers, "Digest")) request.headers.push_back({"Digest", signed_headers.digest});
  request.headers.push_back({"Signature", signed_headers.signature});
  if (!signed_headers.signature_certificate.empty()) {
    request.headers.push_back({"TPP-Signature-Certificate", signed_headers.signature_certificate});
  }
  return {};
}

}  // namespace bankfeed::adapters
