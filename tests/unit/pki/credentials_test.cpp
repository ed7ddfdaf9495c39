// pki::Credential and ReadSecretFile against the generated test PKI (tests/pki/make-test-pki.sh).
#include "pki/credentials.hpp"

#include <gtest/gtest.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <ctime>
#include <type_traits>

#include "pki_test_util.hpp"

namespace bankfeed::pki {
namespace {

using bankfeed::testing::PkiFile;
using bankfeed::testing::ReadAll;
using bankfeed::testing::ScratchDir;

static_assert(!std::is_copy_constructible_v<Credential> && !std::is_copy_assignable_v<Credential>);
static_assert(std::is_nothrow_move_constructible_v<Credential> && std::is_nothrow_move_assignable_v<Credential>);

constexpr char kKeyPassword[] = "test-key-password";  // qwac-key.pass
constexpr char kP12Password[] = "test-p12-password";  // qwac.p12.pass, qseal.p12.pass
constexpr char kPasswordEnv[] = "BANKFEED_PKI_TEST_PASSWORD";

CredentialSource Pem(const std::string& cert, const std::string& key) {
  CredentialSource s;
  s.certificate_file = cert;
  s.key_file = key;
  return s;
}

CredentialSource QwacPem() { return Pem(PkiFile("qwac.pem"), PkiFile("qwac.key")); }

CredentialSource QwacP12() {
  CredentialSource s;
  s.certificate_file = PkiFile("qwac.p12");
  s.password_file = PkiFile("qwac.p12.pass");
  return s;
}

// Loads a source that must fail with kConfig, and returns the message.
std::string ConfigErrorOf(const CredentialSource& source) {
  const Result<Credential> c = Credential::Load(source);
  EXPECT_FALSE(c.has_value());
  if (c) return "<loaded>";
  EXPECT_EQ(c.error().code, ErrorCode::kConfig) << c.error().message;
  EXPECT_EQ(ERR_peek_error(), 0UL) << "Load left entries on the OpenSSL error queue";
  return c.error().message;
}

PkeyPtr ReadKey(const std::string& path) {
  const std::string pem = ReadAll(path);
  const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
  ~ScopedEnv() { ::unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

// ---- loading what is right ----

TEST(Credential, LoadsPemCertificateAndKey) {
  const Result<Credential> c = Credential::Load(QwacPem());
  ASSERT_TRUE(c.has_value()) << c.error().message;
  ASSERT_NE(c->certificate(), nullptr);
  ASSERT_NE(c->key(), nullptr);
  ASSERT_NE(c->chain(), nullptr);
  EXPECT_EQ(sk_X509_num(c->chain()), 0);
  EXPECT_EQ(c->SerialHex(true), "0A1B2C3D4E5F6071") << "whole bytes: the leading zero nibble stays";
  EXPECT_EQ(c->SerialHex(false), "0a1b2c3d4e5f6071");
  EXPECT_EQ(c->IssuerDn(), "CN=bankfeed Test QTSP Root CA,O=bankfeed Test QTSP (NOT QUALIFIED),C=DE");
  EXPECT_EQ(c->CertificatePem(), ReadAll(PkiFile("qwac.pem")));
  EXPECT_EQ(c->CertificateChainPem(), c->CertificatePem());
  const PkeyPtr file_key = ReadKey(PkiFile("qwac.key"));
  EXPECT_EQ(EVP_PKEY_eq(c->key(), file_key.get()), 1);
}

TEST(Credential, DerBase64IsThePemBodyOnOneLine) {
  const Result<Credential> c = Credential::Load(QwacPem());
  ASSERT_TRUE(c.has_value()) << c.error().message;
  std::string body;
  const std::string pem = c->CertificatePem();
  for (size_t pos = 0; pos < pem.size();) {
    const size_t nl = pem.find('\n', pos);
    const std::string line = pem.substr(pos, nl - pos);
    if (!line.starts_with("-----")) body += line;
    pos = nl == std::string::npos ? pem.size() : nl + 1;
  }
  EXPECT_EQ(c->CertificateDerBase64(), body);
  EXPECT_EQ(c->CertificateDerBase64().find('\n'), std::string::npos);
}

TEST(Credential, PemChainFollowsTheLeaf) {
  const ScratchDir dir;
  const std::string leaf = ReadAll(PkiFile("qwac.pem"));
  const std::string ca = ReadAll(PkiFile("ca.pem"));
  const Result<Credential> c = Credential::Load(Pem(dir.Write("fullchain.pem", leaf + ca, 0644), PkiFile("qwac.key")));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(sk_X509_num(c->chain()), 1);
  EXPECT_EQ(c->CertificateChainPem(), leaf + ca);
  EXPECT_EQ(c->SerialHex(true), "0A1B2C3D4E5F6071");
}

TEST(Credential, KeyPemIsUnencryptedPkcs8OfTheSameKey) {
  const Result<Credential> c = Credential::Load(QwacPem());
  ASSERT_TRUE(c.has_value()) << c.error().message;
  std::string pem = c->KeyPem();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
  const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  const PkeyPtr back(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  OPENSSL_cleanse(pem.data(), pem.size());
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(EVP_PKEY_eq(c->key(), back.get()), 1);
}

TEST(Credential, EncryptedKeyWithPasswordFile) {
  CredentialSource s = Pem(PkiFile("qwac.pem"), PkiFile("qwac-key-encrypted.key"));
  s.password_file = PkiFile("qwac-key.pass");
  const Result<Credential> c = Credential::Load(s);
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(EVP_PKEY_eq(c->key(), ReadKey(PkiFile("qwac.key")).get()), 1);
}

TEST(Credential, EncryptedKeyWithPasswordEnv) {
  const ScopedEnv env(kPasswordEnv, kKeyPassword);
  CredentialSource s = Pem(PkiFile("qwac.pem"), PkiFile("qwac-key-encrypted.key"));
  s.password_env = kPasswordEnv;
  const Result<Credential> c = Credential::Load(s);
  ASSERT_TRUE(c.has_value()) << c.error().message;
}

TEST(Credential, PasswordFileMayEndInANewline) {
  const ScratchDir dir;
  CredentialSource s = Pem(PkiFile("qwac.pem"), PkiFile("qwac-key-encrypted.key"));
  s.password_file = dir.Write("crlf.pass", std::string(kKeyPassword) + "\r\n");
  EXPECT_TRUE(Credential::Load(s).has_value());
  s.password_file = dir.Write("lf.pass", std::string(kKeyPassword) + "\n");
  EXPECT_TRUE(Credential::Load(s).has_value());
}

TEST(Credential, Pkcs12WithPasswordFile) {
  const Result<Credential> c = Credential::Load(QwacP12());
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->SerialHex(true), "0A1B2C3D4E5F6071");
  EXPECT_EQ(c->CertificatePem(), ReadAll(PkiFile("qwac.pem")));
  EXPECT_EQ(EVP_PKEY_eq(c->key(), ReadKey(PkiFile("qwac.key")).get()), 1);
  ASSERT_EQ(sk_X509_num(c->chain()), 1) << "the CA certificate bundled in the PKCS#12";
  EXPECT_EQ(c->CertificateChainPem(), ReadAll(PkiFile("qwac.pem")) + ReadAll(PkiFile("ca.pem")));
}

TEST(Credential, Pkcs12IsDetectedByContentNotName) {
  const ScratchDir dir;
  CredentialSource s = QwacP12();
  s.certificate_file = dir.Copy(PkiFile("qwac.p12"), "bundle.pem", 0600);
  const Result<Credential> c = Credential::Load(s);
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->SerialHex(true), "0A1B2C3D4E5F6071");
}

TEST(Credential, QsealPkcs12WithPasswordEnv) {
  const ScopedEnv env(kPasswordEnv, kP12Password);
  CredentialSource s;
  s.certificate_file = PkiFile("qseal.p12");
  s.password_env = kPasswordEnv;
  const Result<Credential> c = Credential::Load(s);
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->SerialHex(true), "0B1B2C3D4E5F6072");
}

// `openssl pkcs12 -legacy`: certificates under RC2-40, the key under 3DES. OpenSSL 3 needs the legacy provider.
TEST(Credential, LegacyPkcs12LoadsWithoutEnablingLegacyInTheDefaultContext) {
  const ScratchDir dir;
  const std::string out = dir.path() + "/legacy.p12";
  const std::string cmd = "openssl pkcs12 -export -legacy -in '" + PkiFile("qwac.pem") + "' -inkey '" +
                          PkiFile("qwac.key") + "' -certfile '" + PkiFile("ca.pem") + "' -passout pass:legacy-pw" +
                          " -out '" + out + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  ASSERT_EQ(::chmod(out.c_str(), 0600), 0);
  const ScopedEnv env(kPasswordEnv, "legacy-pw");
  CredentialSource s;
  s.certificate_file = out;
  s.password_env = kPasswordEnv;
  const Result<Credential> c = Credential::Load(s);
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->SerialHex(true), "0A1B2C3D4E5F6071");
  EXPECT_EQ(sk_X509_num(c->chain()), 1);
  EXPECT_EQ(EVP_PKEY_eq(c->key(), ReadKey(PkiFile("qwac.key")).get()), 1);
  // The key must be usable in the default context (it was re-decoded there).
  std::string pem = c->KeyPem();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
  OPENSSL_cleanse(pem.data(), pem.size());

  EVP_CIPHER* rc2 = EVP_CIPHER_fetch(nullptr, "RC2-40-CBC", nullptr);
  EXPECT_EQ(rc2, nullptr) << "the legacy provider leaked into the default library context";
  EVP_CIPHER_free(rc2);
  ERR_clear_error();
}

// ---- configuration errors: kConfig, naming the file and the problem ----

TEST(Credential, MissingFiles) {
  EXPECT_EQ(ConfigErrorOf(Pem("/nonexistent/qwac.pem", PkiFile("qwac.key"))),
            "certificate file /nonexistent/qwac.pem: cannot open: No such file or directory");
  EXPECT_EQ(ConfigErrorOf(Pem(PkiFile("qwac.pem"), "/nonexistent/qwac.key")),
            "key file /nonexistent/qwac.key: cannot open: No such file or directory");
  CredentialSource s = QwacP12();
  s.password_file = "/nonexistent/p12.pass";
  EXPECT_EQ(ConfigErrorOf(s), "password file /nonexistent/p12.pass: cannot open: No such file or directory");
  EXPECT_EQ(ConfigErrorOf(CredentialSource{}), "credentials: certificate_file is not set");
  const ScratchDir dir;
  EXPECT_EQ(ConfigErrorOf(Pem(dir.path(), PkiFile("qwac.key"))),
            "certificate file " + dir.path() + ": not a regular file");
}

TEST(Credential, KeyFileReadableByGroupOrOthers) {
  const ScratchDir dir;
  const std::string key644 = dir.Copy(PkiFile("qwac.key"), "world.key", 0644);
  EXPECT_EQ(ConfigErrorOf(Pem(PkiFile("qwac.pem"), key644)),
            "key file " + key644 + ": readable by group or others (mode 0644); chmod 600 it");
  const std::string key640 = dir.Copy(PkiFile("qwac.key"), "group.key", 0640);
  EXPECT_EQ(ConfigErrorOf(Pem(PkiFile("qwac.pem"), key640)),
            "key file " + key640 + ": readable by group or others (mode 0640); chmod 600 it");
  const std::string key620 = dir.Copy(PkiFile("qwac.key"), "groupw.key", 0620);
  EXPECT_EQ(ConfigErrorOf(Pem(PkiFile("qwac.pem"), key620)),
            "key file " + key620 + ": writable by group or others (mode 0620); chmod 600 it");
  EXPECT_TRUE(Credential::Load(Pem(PkiFile("qwac.pem"), dir.Copy(PkiFile("qwac.key"), "ok.key", 0400))).has_value());
}

TEST(Credential, Pkcs12FileReadableByGroupOrOthers) {
  const ScratchDir dir;
  CredentialSource s = QwacP12();
  s.certificate_file = dir.Copy(PkiFile("qwac.p12"), "qwac.p12", 0644);
  EXPECT_EQ(ConfigErrorOf(s),
            "PKCS#12 file " + s.certificate_file + ": readable by group or others (mode 0644); chmod 600 it");
}

TEST(Credential, PasswordFileReadableByGroupOrOthers) {
  const ScratchDir dir;
  CredentialSource s = QwacP12();
  s.password_file = dir.Copy(PkiFile("qwac.p12.pass"), "p12.pass", 0604);
  EXPECT_EQ(ConfigErrorOf(s),
            "password file " + s.password_file + ": readable by group or others (mode 0604); chmod 600 it");
}

TEST(Credential, PemCertificateMayBeWorldReadable) {
  const ScratchDir dir;
  EXPECT_TRUE(
      Credential::Load(Pem(dir.Copy(PkiFile("qwac.pem"), "qwac.pem", 0644), PkiFile("qwac.key"))).has_value());
}

TEST(Credential, EncryptedKeyWithoutPassword) {
  const std::string key = PkiFile("qwac-key-encrypted.key");
  EXPECT_EQ(ConfigErrorOf(Pem(PkiFile("qwac.pem"), key)),
            "key file " + key + ": the key is encrypted; set password_file or password_env");
}

TEST(Credential, EncryptedKeyWithWrongPassword) {
  const ScopedEnv env(kPasswordEnv, "not-the-password");
  CredentialSource s = Pem(PkiFile("qwac.pem"), PkiFile("qwac-key-encrypted.key"));
  s.password_env = kPasswordEnv;
  EXPECT_EQ(ConfigErrorOf(s), "key file " + s.key_file + ": wrong password or corrupt key");
}

TEST(Credential, CorruptKey) {
  const ScratchDir dir;
  std::string pem = ReadAll(PkiFile("qwac.key"));
  pem[40] = pem[40] == 'A' ? 'B' : 'A';  // inside the base64 body
  pem[41] = '*';
  const std::string key = dir.Write("corrupt.key", pem);
  EXPECT_EQ(ConfigErrorOf(Pem(PkiFile("qwac.pem"), key)),
            "key file " + key + ": no PEM private key found, or the key is corrupt");
}

TEST(Credential, Pkcs12WrongOrMissingPassword) {
  const ScopedEnv env(kPasswordEnv, "not-the-password");
  CredentialSource s;
  s.certificate_file = PkiFile("qwac.p12");
  s.password_env = kPasswordEnv;
  EXPECT_EQ(ConfigErrorOf(s), "PKCS#12 file " + s.certificate_file + ": wrong password (MAC check failed)");
  s.password_env.clear();
  EXPECT_EQ(ConfigErrorOf(s),
            "PKCS#12 file " + s.certificate_file + ": needs a password; set password_file or password_env");
}

TEST(Credential, Pkcs12WithKeyFile) {
  CredentialSource s = QwacP12();
  s.key_file = PkiFile("qwac.key");
  EXPECT_EQ(ConfigErrorOf(s), "PKCS#12 file " + s.certificate_file + ": holds its own key; leave key_file empty");
}

TEST(Credential, CorruptPkcs12) {
  const ScratchDir dir;
  std::string der = ReadAll(PkiFile("qwac.p12"));
  der.resize(der.size() / 2);
  CredentialSource s = QwacP12();
  s.certificate_file = dir.Write("half.p12", der);
  EXPECT_EQ(ConfigErrorOf(s), "PKCS#12 file " + s.certificate_file + ": corrupt (not DER PKCS#12 or PEM)");
}

TEST(Credential, PemWithoutKeyFile) {
  const std::string cert = PkiFile("qwac.pem");
  EXPECT_EQ(ConfigErrorOf(Pem(cert, "")),
            "certificate file " + cert + ": PEM certificate needs key_file (only PKCS#12 carries its own key)");
}

TEST(Credential, CertificateDoesNotMatchKey) {
  const std::string cert = PkiFile("qwac.pem");
  const std::string key = PkiFile("qwac-mismatch.key");
  EXPECT_EQ(ConfigErrorOf(Pem(cert, key)),
            "certificate file " + cert + ": does not match key file " + key + " (different key pair)");
  // Another key type altogether (EC against an RSA certificate).
  EXPECT_NE(ConfigErrorOf(Pem(cert, PkiFile("server.key"))).find("does not match key file"), std::string::npos);
}

TEST(Credential, ExpiredCertificate) {
  const std::string cert = PkiFile("server-expired.pem");
  EXPECT_EQ(ConfigErrorOf(Pem(cert, PkiFile("server-expired.key"))),
            "certificate file " + cert + ": expired on 2021-01-01T00:00:00Z");
}

TEST(Credential, NotYetValidCertificate) {
  // The QWAC re-signed with its own key and a validity that starts tomorrow: Load checks dates, not the chain.
  const BioPtr in(BIO_new_file(PkiFile("qwac.pem").c_str(), "r"));
  ASSERT_NE(in, nullptr);
  const X509Ptr cert(PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr));
  const PkeyPtr key = ReadKey(PkiFile("qwac.key"));
  ASSERT_TRUE(cert && key);
  time_t now = std::time(nullptr);
  ASSERT_NE(X509_time_adj_ex(X509_getm_notBefore(cert.get()), 1, 0, &now), nullptr);
  ASSERT_NE(X509_time_adj_ex(X509_getm_notAfter(cert.get()), 30, 0, &now), nullptr);
  ASSERT_GT(X509_sign(cert.get(), key.get(), EVP_sha256()), 0);
  const BioPtr out(BIO_new(BIO_s_mem()));
  ASSERT_EQ(PEM_write_bio_X509(out.get(), cert.get()), 1);
  const ScratchDir dir;
  const std::string path = dir.Write("future.pem", BioContents(out.get()), 0644);
  const std::string message = ConfigErrorOf(Pem(path, PkiFile("qwac.key")));
  EXPECT_TRUE(message.starts_with("certificate file " + path + ": not valid before ")) << message;
}

TEST(Credential, PemWithoutCertificate) {
  const ScratchDir dir;
  const std::string no_cert = dir.Write("key-as-cert.pem", "# just a comment\n", 0644);
  EXPECT_EQ(ConfigErrorOf(Pem(no_cert, PkiFile("qwac.key"))),
            "certificate file " + no_cert + ": no certificate found (expected PEM CERTIFICATE blocks or PKCS#12)");
  const std::string empty = dir.Write("empty.pem", "", 0644);
  EXPECT_EQ(ConfigErrorOf(Pem(empty, PkiFile("qwac.key"))),
            "certificate file " + empty + ": no certificate found (expected PEM CERTIFICATE blocks or PKCS#12)");
}

TEST(Credential, PasswordSources) {
  CredentialSource s = QwacP12();
  s.password_env = kPasswordEnv;
  EXPECT_EQ(ConfigErrorOf(s),
            "credentials for " + s.certificate_file + ": set password_file or password_env, not both");
  s.password_file.clear();
  s.password_env = "BANKFEED_PKI_TEST_SURELY_UNSET";
  ::unsetenv(s.password_env.c_str());
  EXPECT_EQ(ConfigErrorOf(s), "password_env BANKFEED_PKI_TEST_SURELY_UNSET: environment variable is not set");
}

// No message may carry key bytes or a password, whatever went wrong.
TEST(Credential, ErrorMessagesHoldNoSecrets) {
  const ScratchDir dir;
  const std::string secret_password = "Zq9-distinctive-Password-77";
  const ScopedEnv env(kPasswordEnv, secret_password.c_str());
  const std::string key_text = ReadAll(PkiFile("qwac.key")) + ReadAll(PkiFile("qwac-key-encrypted.key")) +
                               ReadAll(PkiFile("qwac-mismatch.key"));

  std::vector<CredentialSource> failing;
  CredentialSource s = Pem(PkiFile("qwac.pem"), PkiFile("qwac-key-encrypted.key"));
  s.password_env = kPasswordEnv;
  failing.push_back(s);  // wrong password for the key
  s = QwacP12();
  s.password_file.clear();
  s.password_env = kPasswordEnv;
  failing.push_back(s);  // wrong password for the PKCS#12
  failing.push_back(Pem(PkiFile("qwac.pem"), dir.Copy(PkiFile("qwac.key"), "open.key", 0644)));
  failing.push_back(Pem(PkiFile("qwac.pem"), PkiFile("qwac-mismatch.key")));
  failing.push_back(Pem(PkiFile("qwac.key"), PkiFile("qwac.key")));  // a key where the certificate should be
  s = QwacP12();
  s.password_file = dir.Write("open.pass", secret_password, 0644);
  failing.push_back(s);  // a readable password file

  for (const CredentialSource& source : failing) {
    const std::string message = ConfigErrorOf(source);
    EXPECT_EQ(message.find(secret_password), std::string::npos) << message;
    EXPECT_EQ(message.find(kKeyPassword), std::string::npos) << message;
    // No run of 12 characters from the key files (base64 of key bytes) appears, except the PEM armour.
    for (size_t i = 0; i + 12 <= message.size(); ++i) {
      const std::string window = message.substr(i, 12);
      if (window.find("-----") != std::string::npos) continue;
      EXPECT_EQ(key_text.find(window), std::string::npos) << "\"" << window << "\" in: " << message;
    }
  }
}

TEST(Credential, MovesKeepTheObjects) {
  Result<Credential> c = Credential::Load(QwacPem());
  ASSERT_TRUE(c.has_value()) << c.error().message;
  X509* cert = c->certificate();
  Credential moved = std::move(*c);
  EXPECT_EQ(moved.certificate(), cert);
  EXPECT_NE(moved.key(), nullptr);
}

// ---- ReadSecretFile ----

TEST(ReadSecretFile, ReadsAPrivateFile) {
  const Result<std::string> s = ReadSecretFile(PkiFile("qwac.p12.pass"), "password file");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(*s, kP12Password);
}

TEST(ReadSecretFile, RefusesOpenFiles) {
  const ScratchDir dir;
  const std::string path = dir.Write("secret", "s3cret", 0644);
  const Result<std::string> s = ReadSecretFile(path, "signing key");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kConfig);
  EXPECT_EQ(s.error().message, "signing key " + path + ": readable by group or others (mode 0644); chmod 600 it");
  const Result<std::string> missing = ReadSecretFile(dir.path() + "/none", "signing key");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message, "signing key " + dir.path() + "/none: cannot open: No such file or directory");
}

}  // namespace
}  // namespace bankfeed::pki
