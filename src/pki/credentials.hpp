// pki/credentials.hpp: a loaded certificate, its private key and the CA certificates that came with it.
//
// Credential::Load reads a bankfeed::CredentialSource (PEM certificate + PEM key, or PKCS#12) and checks it: the
// key and PKCS#12 files (and any password file) are not readable by group or others, the password is right, the
// certificate matches the key, and it is valid now. Every failure is ErrorCode::kConfig naming the file; no message
// ever holds key material or a password, and passwords and decrypted key bytes are OPENSSL_cleanse'd after use.
//
// Legacy PKCS#12 (RC2/3DES, e.g. `openssl pkcs12 -legacy`, or files exported by older Windows/Java tools): OpenSSL 3
// keeps those ciphers in the "legacy" provider. Load first tries the default library context; if that cannot
// decrypt the file (after its MAC, and so the password, checked out), it retries in a dedicated OSSL_LIB_CTX with
// the "default" and "legacy" providers loaded. The legacy algorithms are thus never enabled in the process-wide
// default context that TLS and signing use. The dedicated context is created on first need and lives for the rest
// of the process; the certificate and key found there are re-decoded into the default context, so a Credential's
// objects are the same whichever path loaded them.
//
// A Credential is immutable after Load, so const accessors may be used from several threads.
#pragma once

#include <string>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "bankfeed/credentials.hpp"
#include "bankfeed/result.hpp"
#include "pki/openssl_ptr.hpp"

namespace bankfeed::pki {

// Reads a file holding a secret (a key, a PKCS#12 bundle, a password), refusing one that group or others can read
// or write. `what` names the file in messages: "key file /etc/x.key: readable by group or others (mode 0644);
// chmod 600 it". The caller must OPENSSL_cleanse the returned bytes after use.
Result<std::string> ReadSecretFile(const std::string& path, std::string_view what);

class Credential {
 public:
  static Result<Credential> Load(const CredentialSource& source);

  Credential(Credential&&) noexcept = default;
  Credential& operator=(Credential&&) noexcept = default;
  Credential(const Credential&) = delete;
  Credential& operator=(const Credential&) = delete;
  ~Credential() = default;

  // Borrowed pointers, valid while this Credential lives (X509_up_ref / EVP_PKEY_up_ref to keep them longer).
  X509* certificate() const { return cert_.get(); }
  EVP_PKEY* key() const { return key_.get(); }
  // The CA certificates that came with the leaf (PEM file or PKCS#12), in file order; never null, maybe empty.
  STACK_OF(X509)* chain() const { return chain_.get(); }

  std::string CertificatePem() const;
  // The leaf then the chain, as PEM: what curl's CURLOPT_SSLCERT_BLOB takes.
  std::string CertificateChainPem() const;
  // The private key as unencrypted PKCS#8 PEM, for CURLOPT_SSLKEY_BLOB. The caller must OPENSSL_cleanse the string
  // (data(), size()) as soon as curl has copied it, and must never log it.
  std::string KeyPem() const;
  // The serial number in hex, whole bytes without a prefix ("0A1B2C..."), as `openssl x509 -serial` prints it.
  std::string SerialHex(bool uppercase) const;
  // The issuer as an RFC 4514 string, the way OpenSSL's XN_FLAG_RFC2253 prints it ("CN=...,O=...,C=DE").
  std::string IssuerDn() const;
  // The subject, the same way (RFC 8705's tls_client_auth_subject_dn).
  std::string SubjectDn() const;
  // The leaf's DER in standard base64 without line breaks (e.g. the TPP-Signature-Certificate header).
  std::string CertificateDerBase64() const;

 private:
  Credential() = default;

  X509Ptr cert_;
  PkeyPtr key_;
  X509StackPtr chain_;
};

}  // namespace bankfeed::pki
