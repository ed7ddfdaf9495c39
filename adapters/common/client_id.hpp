// adapters/common/client_id.hpp: the OAuth2 client_id a TPP uses at a bank that authenticates clients by mTLS
// (RFC 8705 tls_client_auth): the one the configuration gives, or else the TPP's PSD2 authorisation number, the
// organizationIdentifier of its QWAC (ETSI TS 119 495 §5.2.1, "PSDFR-ACPR-12345"). Berlin Group OAuth banks and STET.
#pragma once

#include <string>

#include "bankfeed/connector.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::adapters {

// kConfig naming oauth_client_id when neither is there.
Result<std::string> MtlsClientId(const ConnectionOptions& options);

}  // namespace bankfeed::adapters
