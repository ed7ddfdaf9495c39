// Signs outgoing requests the Berlin Group / STET way: Digest, Signature and TPP-Signature-Certificate headers,
// with the QSealC loaded once.
#pragma once

#include <memory>
#include <string_view>

#include <openssl/types.h>

#include "bankfeed/credentials.hpp"
#include "bankfeed/result.hpp"
#include "bankfeed/signing.hpp"
#include "http/message.hpp"
#include "pki/credentials.hpp"

namespace bankfeed::adapters {

class CavageSigner {
 public:
  // kConfig when the options are invalid or the QSealC cannot be loaded or does not match its key. For the URL keyId
  // form, `qseal_url` (the TPP's publication URL) stands in for an empty options.key_id_url; "{fingerprint}" and a
  // trailing '/' are resolved as CavageOptions::key_id_url says.
  static Result<CavageSigner> Make(const CredentialSource& qseal, const CavageOptions& options,
                                   std::string_view qseal_url = {});
  // The keyId URL for `url` and the certificate: "{fingerprint}" replaced, "<fingerprint>.pem" after a final '/'.
  static Result<std::string> ResolveKeyIdUrl(std::string_view url, X509* certificate);

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
