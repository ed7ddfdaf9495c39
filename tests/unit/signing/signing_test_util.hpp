// Shared helpers of the signing tests: the vendored vectors (tests/vectors/signing) and OpenSSL objects.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "unit/test_util.hpp"

namespace bankfeed::signing::testing {

struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Deleter {
  void operator()(X509* c) const { X509_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using Cert = std::unique_ptr<X509, X509Deleter>;

inline std::string VectorPath(const std::string& relative) {
  return std::string(BANKFEED_SOURCE_DIR) + "/tests/vectors/signing/" + relative;
}

// The bytes of a vector file, exactly (no newline is added or removed).
inline std::string Vector(const std::string& relative) { return bankfeed::testing::ReadFile(VectorPath(relative)); }

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};

inline std::unique_ptr<BIO, BioDeleter> MemBio(const std::string& pem) {
  return std::unique_ptr<BIO, BioDeleter>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

inline Pkey PrivateKey(const std::string& relative) {
  const std::string pem = Vector(relative);
  Pkey key(PEM_read_bio_PrivateKey(MemBio(pem).get(), nullptr, nullptr, nullptr));
  if (!key) throw std::runtime_error("cannot read private key " + relative);
  return key;
}

inline Pkey PublicKeyFromPem(const std::string& pem) {
  Pkey key(PEM_read_bio_PUBKEY(MemBio(pem).get(), nullptr, nullptr, nullptr));
  if (!key) throw std::runtime_error("cannot read public key");
  return key;
}

inline Pkey PublicKey(const std::string& relative) { return PublicKeyFromPem(Vector(relative)); }

inline Cert Certificate(const std::string& relative) {
  const std::string pem = Vector(relative);
  Cert cert(PEM_read_bio_X509(MemBio(pem).get(), nullptr, nullptr, nullptr));
  if (!cert) throw std::runtime_error("cannot read certificate " + relative);
  return cert;
}

inline std::string Hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace bankfeed::signing::testing
