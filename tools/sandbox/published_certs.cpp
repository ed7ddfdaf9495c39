#include "tools/sandbox/published_certs.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <fstream>
#include <iterator>

#include "tools/sandbox/bearer.hpp"

namespace bankfeed::sandbox {

Result<PublishedCertificates> PublishedCertificates::Load(const std::vector<std::string>& pem_files) {
  PublishedCertificates out;
  for (const std::string& file : pem_files) {
    std::ifstream in(file, std::ios::binary);
    const std::string pem{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.good() && !in.eof()) return MakeError(ErrorCode::kConfig, "published certificate " + file + ": cannot be read");
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    size_t found = 0;
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
      std::shared_ptr<X509> owned(cert, X509_free);
      out.by_fingerprint_.emplace(CertificateFingerprint(cert), std::move(owned));
      ++found;
    }
    ERR_clear_error();  // the loop ends on "no start line"
    if (found == 0) return MakeError(ErrorCode::kConfig, "published certificate " + file + ": no PEM certificate");
  }
  return out;
}

X509* PublishedCertificates::Find(std::string_view sha256_hex) const {
  auto it = by_fingerprint_.find(sha256_hex);
  return it == by_fingerprint_.end() ? nullptr : it->second.get();
}

}  // namespace bankfeed::sandbox
