// ParseQcStatements over the fixtures in tests/vectors/certs/qcstatements-fixtures (expected results from their
// README), hand-built edge cases, and Psd2AttributesOfCertificate over the generated QWAC and QSealC.
#include "bankfeed/qcstatement.hpp"

#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <vector>

#include "pki/openssl_ptr.hpp"
#include "pki_test_util.hpp"

namespace bankfeed {
namespace {

using bankfeed::testing::PkiFile;
using bankfeed::testing::ReadAll;
using Der = std::vector<unsigned char>;

Der Fixture(const std::string& name) {
  const std::string bytes = ReadAll(std::string(BANKFEED_QCSTATEMENT_FIXTURES) + "/" + name + ".der");
  EXPECT_FALSE(bytes.empty()) << name;
  return {bytes.begin(), bytes.end()};
}

std::string ErrorOf(const Der& der) {
  const auto r = ParseQcStatements(der);
  EXPECT_FALSE(r.has_value());
  if (r) return "<parsed>";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  return r.error().message;
}

// ---- a tiny DER builder for hand-made cases (short and long length forms) ----

Der Tlv(unsigned char tag, const Der& content) {
  Der out{tag};
  const size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<unsigned char>(n));
  } else if (n <= 0xff) {
    out.insert(out.end(), {0x81, static_cast<unsigned char>(n)});
  } else {
    out.insert(out.end(), {0x82, static_cast<unsigned char>(n >> 8), static_cast<unsigned char>(n & 0xff)});
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}
Der Seq(std::initializer_list<Der> parts) {
  Der content;
  for (const Der& p : parts) content.insert(content.end(), p.begin(), p.end());
  return Tlv(0x30, content);
}
Der Utf8(std::string_view s) { return Tlv(0x0c, Der(s.begin(), s.end())); }
Der Oid(std::initializer_list<unsigned char> content) { return Tlv(0x06, Der(content)); }

const Der kPsd2Id = Oid({0x04, 0x00, 0x81, 0x98, 0x27, 0x02});
const Der kComplianceId = Oid({0x04, 0x00, 0x8e, 0x46, 0x01, 0x01});
const Der kQcTypeId = Oid({0x04, 0x00, 0x8e, 0x46, 0x01, 0x06});
Der Role(unsigned char last, std::string_view name) {
  return Seq({Oid({0x04, 0x00, 0x81, 0x98, 0x27, 0x01, last}), Utf8(name)});
}
Der Psd2(std::initializer_list<Der> roles, std::string_view nca_name = "Test NCA",
         std::string_view nca_id = "XX-TEST") {
  return Seq({kPsd2Id, Seq({Seq(roles), Utf8(nca_name), Utf8(nca_id)})});
}

// ---- the six fixtures ----

void ExpectFcaQwac(const Psd2Attributes& a) {
  EXPECT_EQ(a.roles, (std::vector<std::string>{"PSP_AI", "PSP_PI"}));
  EXPECT_EQ(a.nca_name, "Financial Conduct Authority");
  EXPECT_EQ(a.nca_id, "GB-FCA");
  EXPECT_EQ(a.qc_type, "web");
  EXPECT_FALSE(a.organization_identifier.has_value());
}

TEST(QcStatements, Fixture01StandardQwac) {
  const auto a = ParseQcStatements(Fixture("01-standard-qwac"));
  ASSERT_TRUE(a.has_value()) << a.error().message;
  ExpectFcaQwac(*a);
  EXPECT_TRUE(a->qc_compliance);
}

TEST(QcStatements, Fixture02MinimalWithoutQcCompliance) {
  const auto a = ParseQcStatements(Fixture("02-minimal-no-qccompliance"));
  ASSERT_TRUE(a.has_value()) << a.error().message;
  ExpectFcaQwac(*a);
  EXPECT_FALSE(a->qc_compliance);
}

TEST(QcStatements, Fixture03StatementsFoundByOidNotPosition) {
  const auto a = ParseQcStatements(Fixture("03-reordered-psd2-first"));
  ASSERT_TRUE(a.has_value()) << a.error().message;
  ExpectFcaQwac(*a);
  EXPECT_TRUE(a->qc_compliance);
}

// Accepted leniently: see the header comment in bankfeed/qcstatement.hpp.
TEST(QcStatements, Fixture04AdorsysBareStatementAccepted) {
  const auto a = ParseQcStatements(Fixture("04-adorsys-bare-qcstatement-nonstandard"));
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->roles, (std::vector<std::string>{"PSP_AI"}));
  EXPECT_EQ(a->nca_name, "Adorsys Test NCA");
  EXPECT_EQ(a->nca_id, "DE-FAKENCA");
  EXPECT_FALSE(a->qc_compliance);
  EXPECT_FALSE(a->qc_type.has_value());
}

TEST(QcStatements, Fixture05NoPsd2Statement) {
  EXPECT_EQ(ErrorOf(Fixture("05-no-psd2-statement")), "qcStatements: no PSD2 QCStatement (0.4.0.19495.2)");
}

TEST(QcStatements, Fixture06Truncated) {
  EXPECT_EQ(ErrorOf(Fixture("06-truncated")), "qcStatements: truncated DER");
}

// ---- malformed input: always an error, never a crash or a read past the end (the asan preset checks) ----

TEST(QcStatements, EveryTruncationOfTheStandardFixtureFails) {
  const Der full = Fixture("01-standard-qwac");
  for (size_t n = 0; n < full.size(); ++n) {
    // An exact-size heap copy, so ASan sees any read past the end.
    const std::vector<unsigned char> prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(ParseQcStatements(prefix).has_value()) << n;
  }
}

TEST(QcStatements, EverySingleByteChangeIsHandled) {
  const Der full = Fixture("01-standard-qwac");
  for (size_t i = 0; i < full.size(); ++i) {
    for (const unsigned char delta : {0x01, 0x80, 0xff}) {
      Der mutated = full;
      mutated[i] = static_cast<unsigned char>(mutated[i] ^ delta);
      const auto r = ParseQcStatements(mutated);
      if (!r) {
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
      }
    }
  }
}

TEST(QcStatements, Shapes) {
  EXPECT_EQ(ErrorOf({}), "qcStatements: truncated DER");
  EXPECT_EQ(ErrorOf(Tlv(0x04, {0x01})), "qcStatements: the extension value is not a SEQUENCE");
  EXPECT_EQ(ErrorOf(Seq({})), "qcStatements: no PSD2 QCStatement (0.4.0.19495.2)");
  Der trailing = Psd2({Role(3, "PSP_AI")});
  trailing = Seq({trailing});
  trailing.push_back(0x00);
  EXPECT_EQ(ErrorOf(trailing), "qcStatements: trailing bytes after the SEQUENCE");
  EXPECT_EQ(ErrorOf({0x30, 0x80, 0x00, 0x00}), "qcStatements: indefinite length (BER, not DER)");
  EXPECT_EQ(ErrorOf({0x30, 0x84, 0x7f, 0xff, 0xff, 0xff}), "qcStatements: truncated DER");
  EXPECT_EQ(ErrorOf(Seq({Tlv(0xa0, {})})), "qcStatements: unexpected tagged element");
  EXPECT_EQ(ErrorOf(Seq({Utf8("x")})), "qcStatements: QCStatement is not a SEQUENCE");
  EXPECT_EQ(ErrorOf(Seq({Seq({Oid({0x04, 0x80})})})), "qcStatements: statementId is not a valid OBJECT IDENTIFIER");
  EXPECT_EQ(ErrorOf(Seq({Seq({Utf8("x")})})), "qcStatements: statementId is not an OBJECT IDENTIFIER");
  EXPECT_EQ(ErrorOf(Seq({Seq({Tlv(0x06, Der(129, 0x01))})})),
            "qcStatements: statementId is too long for an OBJECT IDENTIFIER");
  EXPECT_EQ(ErrorOf(Seq({Seq({kPsd2Id})})), "qcStatements: PSD2 QCStatement without statementInfo");
  EXPECT_EQ(ErrorOf(Seq({Psd2({Role(3, "PSP_AI")}), Psd2({Role(2, "PSP_PI")})})),
            "qcStatements: more than one PSD2 QCStatement");
}

TEST(QcStatements, DeepNestingIsRejectedWithoutRecursion) {
  Der der;
  for (int i = 0; i < 100000; ++i) der.insert(der.end(), {0x30, 0x84, 0x00, 0x00, 0x00, 0x00});
  EXPECT_FALSE(ParseQcStatements(der).has_value());
  Der nested = Seq({});
  for (int i = 0; i < 200; ++i) nested = Seq({nested});
  EXPECT_FALSE(ParseQcStatements(nested).has_value());
}

TEST(QcStatements, RolesByOidDeduplicatedUnknownKeptDotted) {
  const auto a = ParseQcStatements(
      Seq({Psd2({Role(1, "PSP_AS"), Role(4, "PSP_IC"), Role(1, "PSP_AS"), Role(9, "PSP_XX"), Role(2, "WRONG NAME")})}));
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->roles, (std::vector<std::string>{"PSP_AS", "PSP_IC", "0.4.0.19495.1.9", "PSP_PI"}));
  EXPECT_EQ(a->nca_name, "Test NCA");
  EXPECT_EQ(a->nca_id, "XX-TEST");
}

TEST(QcStatements, QcTypeFirstOneWins) {
  const Der esign = Seq({kQcTypeId, Seq({Oid({0x04, 0x00, 0x8e, 0x46, 0x01, 0x06, 0x01}),
                                         Oid({0x04, 0x00, 0x8e, 0x46, 0x01, 0x06, 0x03})})});
  auto a = ParseQcStatements(Seq({esign, Psd2({Role(3, "PSP_AI")}), Seq({kComplianceId})}));
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->qc_type, "esign");
  EXPECT_TRUE(a->qc_compliance);
  const Der other = Seq({kQcTypeId, Seq({Oid({0x04, 0x00, 0x8e, 0x46, 0x01, 0x06, 0x07})})});
  a = ParseQcStatements(Seq({other, Psd2({Role(3, "PSP_AI")})}));
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->qc_type, "0.4.0.1862.1.6.7");
  EXPECT_EQ(ErrorOf(Seq({Seq({kQcTypeId, Utf8("web")}), Psd2({Role(3, "PSP_AI")})})),
            "qcStatements: QcType statementInfo is not a SEQUENCE");
}

TEST(QcStatements, OtherStatementsAreSkipped) {
  // QcSSCD (0.4.0.1862.1.4) and an unknown private statement with arbitrary info.
  const auto a = ParseQcStatements(Seq({Seq({Oid({0x04, 0x00, 0x8e, 0x46, 0x01, 0x04})}),
                                        Seq({Oid({0x2b, 0x06, 0x01, 0x04, 0x01}), Tlv(0x04, {0xde, 0xad})}),
                                        Psd2({Role(3, "PSP_AI")})}));
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->roles, (std::vector<std::string>{"PSP_AI"}));
}

TEST(QcStatements, TextFields) {
  EXPECT_TRUE(ParseQcStatements(Seq({Psd2({Role(3, "PSP_AI")}, "Autorité de contrôle prudentiel", "FR-ACPR")})));
  EXPECT_EQ(ErrorOf(Seq({Psd2({Role(3, "PSP_AI")}, "bad \xc3\x28 utf8")})),
            "qcStatements: nCAName is not 1 to 256 characters of valid UTF-8 text");
  EXPECT_EQ(ErrorOf(Seq({Psd2({Role(3, "PSP_AI")}, "")})),
            "qcStatements: nCAName is not 1 to 256 characters of valid UTF-8 text");
  EXPECT_EQ(ErrorOf(Seq({Psd2({Role(3, "PSP_AI")}, "NCA", "line\nbreak")})),
            "qcStatements: nCAId is not 1 to 256 characters of valid UTF-8 text");
  EXPECT_TRUE(ParseQcStatements(Seq({Psd2({Role(3, "PSP_AI")}, std::string(256, 'n'))})));
  EXPECT_FALSE(ParseQcStatements(Seq({Psd2({Role(3, "PSP_AI")}, std::string(257, 'n'))})));
  const Der psd2_int_name = Seq({kPsd2Id, Seq({Seq({Role(3, "PSP_AI")}), Tlv(0x02, {0x01}), Utf8("XX-TEST")})});
  EXPECT_EQ(ErrorOf(Seq({psd2_int_name})), "qcStatements: nCAName is not a UTF8String");
  const Der psd2_extra =
      Seq({kPsd2Id, Seq({Seq({Role(3, "PSP_AI")}), Utf8("NCA"), Utf8("XX-TEST"), Utf8("extra")})});
  EXPECT_EQ(ErrorOf(Seq({psd2_extra})), "qcStatements: PSD2 statementInfo has elements after nCAId");
}

// ---- whole certificates ----

TEST(Psd2AttributesOfCertificate, GeneratedQwac) {
  const auto a = Psd2AttributesOfCertificate(ReadAll(PkiFile("qwac.pem")));
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->roles, (std::vector<std::string>{"PSP_AI", "PSP_PI"}));
  EXPECT_EQ(a->nca_name, "Federal Financial Supervisory Authority");
  EXPECT_EQ(a->nca_id, "DE-BAFIN");
  EXPECT_TRUE(a->qc_compliance);
  EXPECT_EQ(a->qc_type, "web");
  EXPECT_EQ(a->organization_identifier, "PSDDE-BAFIN-123456");
}

TEST(Psd2AttributesOfCertificate, GeneratedQsealAsDer) {
  const std::string pem = ReadAll(PkiFile("qseal.pem"));
  const pki::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  const pki::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_NE(cert, nullptr);
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert.get(), &der);
  ASSERT_GT(n, 0);
  const std::string der_text(reinterpret_cast<const char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);

  const auto a = Psd2AttributesOfCertificate(der_text);
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->roles, (std::vector<std::string>{"PSP_AI", "PSP_PI"}));
  EXPECT_EQ(a->nca_id, "DE-BAFIN");
  EXPECT_EQ(a->qc_type, "eseal");
  EXPECT_EQ(a->organization_identifier, "PSDDE-BAFIN-123456");
  EXPECT_FALSE(Psd2AttributesOfCertificate(der_text + "x").has_value()) << "trailing bytes after the DER";
}

TEST(Psd2AttributesOfCertificate, Errors) {
  auto a = Psd2AttributesOfCertificate(ReadAll(PkiFile("server.pem")));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(a.error().message, "certificate: no qcStatements extension (1.3.6.1.5.5.7.1.3)");
  a = Psd2AttributesOfCertificate("not a certificate");
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().message, "certificate: not a PEM or DER X.509 certificate");
  a = Psd2AttributesOfCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().message, "certificate: no readable PEM CERTIFICATE block");
  EXPECT_EQ(ERR_peek_error(), 0UL) << "left entries on the OpenSSL error queue";
}

}  // namespace
}  // namespace bankfeed
