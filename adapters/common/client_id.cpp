#include "adapters/common/client_id.hpp"

#include "adapters/common/bank_error.hpp"
#include "bankfeed/qcstatement.hpp"
#include "pki/credentials.hpp"

namespace bankfeed::adapters {

Result<std::string> MtlsClientId(const ConnectionOptions& options) {
  if (!options.oauth_client_id.empty()) return options.oauth_client_id;
  auto credential = pki::Credential::Load(options.qwac);
  if (!credential) return tl::unexpected(credential.error());
  auto attributes = Psd2AttributesOfCertificate(credential->CertificatePem());
  if (!attributes || !attributes->organization_identifier || attributes->organization_identifier->empty()) {
    return tl::unexpected(BankError(ErrorCode::kConfig,
                                    "oauth_client_id: not set and the QWAC carries no organizationIdentifier",
                                    options.profile.id));
  }
  return *attributes->organization_identifier;
}

}  // namespace bankfeed::adapters
