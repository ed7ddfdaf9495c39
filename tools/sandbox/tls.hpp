// TLS for the sandbox: the server context (our certificate, TLS >= 1.2, client certificates asked for and checked
// against --client-ca but not demanded at the handshake), the per-request client-certificate state, and the trust
// store that TPP-Signature-Certificate headers must chain to.
//
// The handshake never fails over a client certificate: the customer-facing pages (/sca, /oauth/authorize) must
// open in a browser without one, and API paths answer 401 CERTIFICATE_MISSING / CERTIFICATE_INVALID instead of a
// bare TLS alert, so the client learns why.
#pragma once

#include <memory>
#include <string>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "bankfeed/result.hpp"
#include "tools/sandbox/stats.hpp"

namespace bankfeed::sandbox {

struct TlsFiles {
  std::string cert_file;       // PEM, the leaf first
  std::string key_file;        // PEM
  std::string client_ca_file;  // PEM: the CA(s) client and signature certificates must chain to
};

// Sets up `ctx`. A client certificate that fails verification is counted in stats->rejected_client_certificate
// (once per connection) and the handshake goes on; ClientCertificateOf then reports it. kConfig naming the file.
Status ConfigureServerContext(SSL_CTX& ctx, const TlsFiles& files, Stats* stats);

enum class ClientCertificate { kValid, kMissing, kInvalid };
ClientCertificate ClientCertificateOf(const SSL* ssl);

// An X509_STORE over --client-ca for checking certificates that arrive in headers. Thread-safe after Load.
class TrustStore {
 public:
  static Result<TrustStore> Load(const std::string& ca_file);
  // From PEM text, for the fuzz targets and tests.
  static Result<TrustStore> FromPem(std::string_view pem);
  // kInvalidInput "certificate: <reason>" unless `cert` chains to the store and is valid now.
  Status Verify(X509* cert) const;

 private:
  struct StoreDeleter {
    void operator()(X509_STORE* s) const { X509_STORE_free(s); }
  };
  std::shared_ptr<X509_STORE> store_;
};

}  // namespace bankfeed::sandbox
