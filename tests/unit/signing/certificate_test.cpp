// keyId "SN=...,CA=..." formatting: the Berlin Group vector, adorsys' lower-case serial, and RFC 4514 corner cases
// on certificates made here.
#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include <openssl/bn.h>
#include <openssl/x509.h>

#include "signing/certificate.hpp"
#include "signing_test_util.hpp"

namespace bankfeed::signing {
namespace {

TEST(SigningKeyId, BerlinGroupVector) {
  const testing::Cert cert = testing::Certificate("berlin-group/qseal-test.pem");
  EXPECT_EQ(*SerialIssuerKeyId(cert.get(), true),
            "SN=965F5BBCC4354B0F,CA=CN=Test%20QTSP%20Root%20CA,O=Test%20QTSP%20(NOT%20QUALIFIED),C=GB");
}

TEST(SigningKeyId, AdorsysLowerCaseSerial) {
  const testing::Cert cert = testing::Certificate("adorsys-xs2a-adapter/cert.pem");
  EXPECT_EQ(*SerialIssuerKeyId(cert.get(), false),
            "SN=8e5c660ad95e4dbf,CA=CN=Adorsys,OU=Adorsys,O=Adorsys,L=Nuremberg,ST=Nuremberg,C=DE");
}

// A certificate with the given serial (hex) and issuer entries, signed by the draft's test key.
testing::Cert MakeCert(const char* serial_hex, const std::vector<std::tuple<const char*, std::string, int>>& issuer) {
  const testing::Pkey key = testing::PrivateKey("cavage/test-key-private.pem");
  testing::Cert cert(X509_new());
  BIGNUM* bn = nullptr;
  BN_hex2bn(&bn, serial_hex);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_NAME* name = X509_NAME_new();
  for (const auto& [field, value, set] : issuer) {
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.data()),
                               static_cast<int>(value.size()), -1, set);
  }
  X509_set_issuer_name(cert.get(), name);
  X509_set_subject_name(cert.get(), name);
  X509_NAME_free(name);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_sign(cert.get(), key.get(), EVP_sha256());
  return cert;
}

TEST(SigningKeyId, SerialWithoutLeadingZeros) {
  const testing::Cert cert = MakeCert("0ABC", {{"CN", "CA", 0}});
  EXPECT_EQ(*SerialIssuerKeyId(cert.get(), true), "SN=ABC,CA=CN=CA");
  EXPECT_EQ(*SerialIssuerKeyId(cert.get(), false), "SN=abc,CA=CN=CA");
  const testing::Cert zero = MakeCert("0", {{"CN", "CA", 0}});
  EXPECT_EQ(*SerialIssuerKeyId(zero.get(), true), "SN=0,CA=CN=CA");
}

TEST(SigningKeyId, Rfc4514EscapingAndOids) {
  // DER order C, O, organizationIdentifier, CN: printed last first. Special characters are escaped per RFC 4514
  // before spaces become %20; organizationIdentifier (2.5.4.97) is not in RFC 4514's table: #hex of its DER.
  const testing::Cert cert = MakeCert("1F", {{"C", "DE", 0},
                                             {"O", "Bank, Inc. <\"Test\">", 0},
                                             {"organizationIdentifier", "NTRDE-1", 0},
                                             {"CN", " #CA+1; x ", 0}});
  EXPECT_EQ(*SerialIssuerKeyId(cert.get(), true),
            "SN=1F,CA=CN=\\%20#CA\\+1\\;%20x\\%20,2.5.4.97=#0c074e545244452d31,"
            "O=Bank\\,%20Inc.%20\\<\\\"Test\\\"\\>,C=DE");
}

TEST(SigningKeyId, MultiValuedRdnAndUtf8) {
  // OU and CN in one RDN (set -1: joined to the previous RDN), printed "+"-joined in their encoded order; a
  // non-ASCII name stays UTF-8.
  const testing::Cert cert =
      MakeCert("01", {{"C", "DE", 0}, {"O", "M\xc3\xbcnchen AG", 0}, {"OU", "Q", 0}, {"CN", "Root", -1}});
  EXPECT_EQ(*SerialIssuerKeyId(cert.get(), true), "SN=1,CA=OU=Q+CN=Root,O=M\xc3\xbcnchen%20AG,C=DE");
}

TEST(SigningKeyId, NullCertificate) {
  const auto r = SerialIssuerKeyId(nullptr, true);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST(SigningCertificateHeader, Base64DerAndPem) {
  const testing::Cert cert = testing::Certificate("berlin-group/qseal-test.pem");
  const auto der = CertificateHeaderValue(cert.get(), CavageOptions::CertificateEncoding::kBase64Der);
  ASSERT_TRUE(der.has_value());
  // The PEM file's body is the same base64, wrapped at 64 characters.
  std::string pem = testing::Vector("berlin-group/qseal-test.pem");
  std::string joined;
  for (size_t at = pem.find('\n') + 1; at < pem.size();) {
    const size_t end = pem.find('\n', at);
    const std::string line = pem.substr(at, end - at);
    if (line.starts_with("-----END")) break;
    joined += line;
    at = end + 1;
  }
  EXPECT_EQ(*der, joined);
  EXPECT_EQ(*CertificateHeaderValue(cert.get(), CavageOptions::CertificateEncoding::kPem),
            "-----BEGIN CERTIFICATE-----" + joined + "-----END CERTIFICATE-----");
}

}  // namespace
}  // namespace bankfeed::signing
