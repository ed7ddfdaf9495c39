// The certificates a TPP publishes at URLs (SandboxOptions.published_certificates, `bankfeed sandbox
// --published-cert FILE`): what a STET bank fetches when a signature's keyId is "https://.../<sha256>.pem". The
// sandbox never goes to the network; it looks the certificate up here by the lower-case hex SHA-256 of its DER.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/x509.h>

#include "bankfeed/result.hpp"

namespace bankfeed::sandbox {

class PublishedCertificates {
 public:
  PublishedCertificates() = default;
  // Every certificate of every PEM file. kConfig naming the file when it cannot be read or holds no certificate.
  static Result<PublishedCertificates> Load(const std::vector<std::string>& pem_files);

  // The certificate with this fingerprint (lower-case hex SHA-256 of the DER), or nullptr. Thread-safe.
  X509* Find(std::string_view sha256_hex) const;
  size_t size() const { return by_fingerprint_.size(); }

 private:
  std::map<std::string, std::shared_ptr<X509>, std::less<>> by_fingerprint_;
};

}  // namespace bankfeed::sandbox
