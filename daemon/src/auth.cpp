#include "daemon/src/auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "common/text.hpp"

namespace bankfeed::daemon {
namespace {

bool SameHash(const Sha256& a, const Sha256& b) { return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0; }

std::optional<Sha256> CertificateHash(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return std::nullopt;
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  if (!cert) return std::nullopt;
  Sha256 out{};
  unsigned int len = 0;
  if (X509_digest(cert.get(), EVP_sha256(), out.data(), &len) != 1 || len != out.size()) return std::nullopt;
  return out;
}

}  // namespace

const TenantCredentials* Authenticator::ByToken(std::string_view token) const {
  const Sha256 hash = HashToken(token);
  const TenantCredentials* found = nullptr;
  for (const TenantCredentials& t : tenants_) {  // every hash is compared: the time does not depend on the match
    for (const Sha256& h : t.token_hashes) {
      if (SameHash(h, hash) && !found) found = &t;
    }
  }
  return found;
}

const TenantCredentials* Authenticator::ByCertificate(std::string_view pem) const {
  auto hash = CertificateHash(pem);
  if (!hash) return nullptr;
  for (const TenantCredentials& t : tenants_) {
    for (const Sha256& h : t.client_certificate_hashes) {
      if (SameHash(h, *hash)) return &t;
    }
  }
  return nullptr;
}

grpc::Status Authenticator::Authenticate(const grpc::ServerContextBase& context, std::string& tenant) const {
  const TenantCredentials* by_token = nullptr;
  const auto& metadata = context.client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    const std::string_view value(it->second.data(), it->second.size());
    constexpr std::string_view kBearer = "bearer ";
    if (value.size() <= kBearer.size() || !EqualsIgnoreCase(value.substr(0, kBearer.size()), kBearer)) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "authorization: expected \"Bearer <token>\"");
    }
    by_token = ByToken(TrimOws(value.substr(kBearer.size())));
    if (!by_token) return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "authorization: unknown token");
  }
  const TenantCredentials* by_certificate = nullptr;
  bool presented_certificate = false;
  if (auto auth = context.auth_context(); auth && auth->IsPeerAuthenticated()) {
    for (const auto& pem : auth->FindPropertyValues("x509_pem_cert")) {
      presented_certificate = true;
      by_certificate = ByCertificate(std::string_view(pem.data(), pem.size()));
    }
  }
  if (by_token && by_certificate && by_token != by_certificate) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "authorization: the token and the client certificate belong to different tenants");
  }
  const TenantCredentials* who = by_token ? by_token : by_certificate;
  if (!who) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        presented_certificate ? "client certificate: not configured for any tenant"
                                              : "authorization: missing bearer token or client certificate");
  }
  tenant = who->id;
  return grpc::Status::OK;
}

}  // namespace bankfeed::daemon
