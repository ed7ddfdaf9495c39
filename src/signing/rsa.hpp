// The two RSA signature schemes the banks use, over OpenSSL's EVP_DigestSign / EVP_DigestVerify:
//   kPkcs1Sha256  RSASSA-PKCS1-v1_5 with SHA-256 (Cavage "rsa-sha256" / "SHA256withRSA"); deterministic
//   kPssSha256    RSASSA-PSS, SHA-256, MGF1-SHA-256, 32-byte salt (JWS "PS256"); randomised
#pragma once

#include <string>
#include <string_view>

#include <openssl/types.h>

#include "bankfeed/result.hpp"

namespace bankfeed::signing {

enum class RsaScheme { kPkcs1Sha256, kPssSha256 };

// The raw signature bytes. kInvalidArgument for a null key; kConfig for a key that is not RSA, is too small for
// the scheme, or has no private half. Never puts key material into a message.
Result<std::string> RsaSign(RsaScheme scheme, std::string_view data, EVP_PKEY* key);

// kInvalidInput "signature does not verify" when the signature is wrong, of the wrong length or the key does not
// match; kInvalidArgument / kConfig as RsaSign for an unusable key.
Status RsaVerify(RsaScheme scheme, std::string_view data, std::string_view signature, EVP_PKEY* key);

}  // namespace bankfeed::signing
