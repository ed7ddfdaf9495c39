// Unguessable ids and tokens for consents, authorisations, codes and tokens, from OpenSSL's CSPRNG.
#pragma once

#include <cstddef>
#include <string>

namespace bankfeed::sandbox {

std::string RandomToken(size_t bytes = 32);  // base64url, no padding
std::string RandomHex(size_t bytes = 16);    // lower-case hex

}  // namespace bankfeed::sandbox
