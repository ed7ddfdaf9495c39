#include "tools/sandbox/tls.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "pki/openssl_ptr.hpp"

namespace bankfeed::sandbox {
namespace {

constexpr unsigned char kSessionContext[] = "bankfeed-sandbox";

// The SSL ex_data slot that marks a connection whose rejected certificate was counted already.
int CountedIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

int VerifyCallback(int preverify_ok, X509_STORE_CTX* store_ctx) {
  if (preverify_ok == 1) return 1;
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store_ctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
  if (ssl != nullptr && SSL_get_ex_data(ssl, CountedIndex()) == nullptr) {
    static int marker = 0;
    SSL_set_ex_data(ssl, CountedIndex(), &marker);
    if (auto* stats = static_cast<Stats*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)))) {
      ++stats->rejected_client_certificate;
    }
  }
  // Let the handshake finish: SSL_get_verify_result keeps the error, and the request is refused with a 401.
  return 1;
}

tl::unexpected<Error> ConfigError(const std::string& what) {
  ERR_clear_error();
  return MakeError(ErrorCode::kConfig, what);
}

}  // namespace

Status ConfigureServerContext(SSL_CTX& ctx, const TlsFiles& files, Stats* stats) {
  if (SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION) != 1) return ConfigError("TLS: cannot require TLS 1.2");
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_use_certificate_chain_file(&ctx, files.cert_file.c_str()) != 1) {
    return ConfigError("--cert " + files.cert_file + ": not a readable PEM certificate");
  }
  if (SSL_CTX_use_PrivateKey_file(&ctx, files.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return ConfigError("--key " + files.key_file + ": not a readable PEM private key");
  }
  if (SSL_CTX_check_private_key(&ctx) != 1) {
    return ConfigError("--key " + files.key_file + ": does not belong to the certificate");
  }
  if (SSL_CTX_load_verify_locations(&ctx, files.client_ca_file.c_str(), nullptr) != 1) {
    return ConfigError("--client-ca " + files.client_ca_file + ": not a readable PEM certificate");
  }
  // The CertificateRequest names the acceptable CAs, so a client with several identities picks the right one.
  if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.client_ca_file.c_str())) {
    SSL_CTX_set_client_CA_list(&ctx, names);
  }
  // Without a session id context, a client resuming a session fails the handshake once client certificates are
  // requested (SSL_R_SESSION_ID_CONTEXT_UNINITIALIZED).
  SSL_CTX_set_session_id_context(&ctx, kSessionContext, sizeof kSessionContext - 1);
  SSL_CTX_set_app_data(&ctx, stats);
  CountedIndex();
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, VerifyCallback);  // no FAIL_IF_NO_PEER_CERT: see tls.hpp
  ERR_clear_error();
  return {};
}

ClientCertificate ClientCertificateOf(const SSL* ssl) {
  if (ssl == nullptr || SSL_get0_peer_certificate(ssl) == nullptr) return ClientCertificate::kMissing;
  return SSL_get_verify_result(ssl) == X509_V_OK ? ClientCertificate::kValid : ClientCertificate::kInvalid;
}

Result<TrustStore> TrustStore::Load(const std::string& ca_file) {
  TrustStore t;
  t.store_.reset(X509_STORE_new(), StoreDeleter());
  if (!t.store_ || X509_STORE_load_file(t.store_.get(), ca_file.c_str()) != 1) {
    return ConfigError("--client-ca " + ca_file + ": not a readable PEM certificate");
  }
  return t;
}

Result<TrustStore> TrustStore::FromPem(std::string_view pem) {
  TrustStore t;
  t.store_.reset(X509_STORE_new(), StoreDeleter());
  pki::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  int added = 0;
  while (bio && t.store_) {
    pki::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    if (X509_STORE_add_cert(t.store_.get(), cert.get()) == 1) ++added;
  }
  if (added == 0) return ConfigError("trust store: no PEM certificate");
  ERR_clear_error();
  return t;
}

Status TrustStore::Verify(X509* cert) const {
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store_.get(), cert, nullptr) != 1) {
    ERR_clear_error();
    return MakeError(ErrorCode::kInternal, "certificate: cannot set up verification");
  }
  const int ok = X509_verify_cert(ctx.get());
  const int err = X509_STORE_CTX_get_error(ctx.get());
  ERR_clear_error();
  if (ok == 1) return {};
  return MakeError(ErrorCode::kInvalidInput,
                   std::string("certificate: ") + X509_verify_cert_error_string(err));
}

}  // namespace bankfeed::sandbox
