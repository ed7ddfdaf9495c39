// Signs outgoing requests the Berlin Group / STET way: Digest, Signature and TPP-Signature-Certificate headers,
// with the QSealC loaded once.
#pragma once

#include <memory>

#include "bankfeed/credentials.hpp"
#include "bankfeed/result.hpp"
#include "bankfeed/signing.hpp"
#include "http/message.hpp"
#include "pki/credentials.hpp"

namespace bankfeed::adapters {

class CavageSigner {
 public:
  // kConfig when the options are invalid or the QSealC cannot be loaded or does not match its key.
  static Result<CavageSigner> Make(const CredentialSource& qseal, const CavageOptions& options);

  // Adds Digest, Signature and (for the serial/issuer keyId form) TPP-Signature-Certificate to the request. Every
  // header that is signed must already be in place.
  Status Sign(http::Request& request) const;

 private:
  CavageSigner(pki::Credential credential, CavageOptions options)
      : credential_(std::make_shared<pki::Credential>(std::move(credential))), options_(std::move(options)) {}
  std::shared_ptr<const pki::Credential> credential_;
  CavageOptions options_;
};

}  // namespace bankfeed::adapters
