// Loading our certificate and key (PEM or PKCS#12) with every check done up front. See pki/credentials.hpp.
#include "pki/credentials.hpp"
#include "common/scoped.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <system_error>

#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/provider.h>

namespace bankfeed::pki {
namespace {

// Certificates, keys and PKCS#12 bundles are a few KiB; a bigger file is a wrong path, not a credential.
constexpr off_t kMaxFileBytes = 1 << 20;

tl::unexpected<Error> ConfigError(std::string_view what, const std::string& path, std::string_view problem) {
  std::string msg(what);
  msg += ' ';
  msg += path;
  msg += ": ";
  msg += problem;
  return MakeError(ErrorCode::kConfig, std::move(msg));
}

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

// Reads a whole regular file into `out` (sized once, so no reallocation leaves copies behind) and reports its mode,
// taken from the open descriptor so the check and the read see the same file.
Status ReadRegularFile(const std::string& path, std::string_view what, std::string& out, mode_t& mode) {
  if (path.empty()) return MakeError(ErrorCode::kConfig, std::string(what) + ": no path given");
  const ScopedFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return ConfigError(what, path, "cannot open: " + ErrnoText(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return ConfigError(what, path, "cannot stat: " + ErrnoText(errno));
  if (!S_ISREG(st.st_mode)) return ConfigError(what, path, "not a regular file");
  if (st.st_size > kMaxFileBytes) return ConfigError(what, path, "too large for a credential (over 1 MiB)");
  mode = st.st_mode;
  out.assign(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = ::read(fd.get(), out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ConfigError(what, path, "cannot read: " + ErrnoText(errno));
    if (n == 0) break;  // shrank while we read: keep what is there
    got += static_cast<size_t>(n);
  }
  out.resize(got);  // shrinking keeps the buffer, so the cleanse of size() after this still covers the bytes read
  return {};
}

Status CheckPrivateMode(const std::string& path, std::string_view what, mode_t mode) {
  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode & 07777));
  if ((mode & (S_IRGRP | S_IROTH)) != 0) {
    return ConfigError(what, path, std::string("readable by group or others (mode ") + octal + "); chmod 600 it");
  }
  if ((mode & (S_IWGRP | S_IWOTH)) != 0) {
    return ConfigError(what, path, std::string("writable by group or others (mode ") + octal + "); chmod 600 it");
  }
  return {};
}

// ReadSecretFile into a caller-owned string (see WipeOnExit for why not a returned one).
Status ReadSecretInto(const std::string& path, std::string_view what, std::string& out) {
  mode_t mode = 0;
  BANKFEED_RETURN_IF_ERROR(ReadRegularFile(path, what, out, mode));
  return CheckPrivateMode(path, what, mode);
}

// The password, if the source names one. `out` is cleansed by the caller.
Status ReadPassword(const CredentialSource& source, std::string& out, bool& has_password) {
  has_password = false;
  if (!source.password_file.empty() && !source.password_env.empty()) {
    return MakeError(ErrorCode::kConfig, "credentials for " + source.certificate_file +
                                             ": set password_file or password_env, not both");
  }
  if (!source.password_file.empty()) {
    BANKFEED_RETURN_IF_ERROR(ReadSecretInto(source.password_file, "password file", out));
    // Editors and `echo` add a newline that is not part of the password.
    for (const char c : {'\n', '\r'}) {
      if (!out.empty() && out.back() == c) {
        out.back() = '\0';  // pop_back alone would leave the byte in the buffer, beyond size(), uncleansed
        out.pop_back();
      }
    }
    has_password = true;
  } else if (!source.password_env.empty()) {
    const char* value = std::getenv(source.password_env.c_str());
    if (value == nullptr) {
      return MakeError(ErrorCode::kConfig, "password_env " + source.password_env + ": environment variable is not set");
    }
    out.assign(value);
    has_password = true;
  }
  return {};
}

const char* OpensslReason() {
  const char* reason = ERR_reason_error_string(ERR_peek_last_error());  // static text, never key material
  return reason != nullptr ? reason : "unknown error";
}

bool LooksLikePkcs12(const std::string& bytes) {
  // DER starts with a SEQUENCE tag; PEM is text with "-----BEGIN" somewhere (maybe after "Bag Attributes" lines).
  return !bytes.empty() && static_cast<unsigned char>(bytes[0]) == 0x30 &&
         bytes.find("-----BEGIN") == std::string::npos;
}

struct Parts {
  X509Ptr cert;
  PkeyPtr key;
  X509StackPtr chain;
};

// ---- PEM ----

struct PasswordData {
  const std::string* password = nullptr;  // null: none configured
  bool asked = false;
  bool too_long = false;
};

// pem_password_cb. Never prompts on a terminal (OpenSSL's default callback would when given none).
int PasswordCallback(char* buf, int size, int /*rwflag*/, void* userdata) {
  auto* data = static_cast<PasswordData*>(userdata);
  data->asked = true;
  if (data->password == nullptr) return -1;
  if (size < 0 || data->password->size() > static_cast<size_t>(size)) {
    data->too_long = true;
    return -1;
  }
  std::memcpy(buf, data->password->data(), data->password->size());
  return static_cast<int>(data->password->size());
}

Result<X509StackPtr> ReadPemCertificates(const std::string& bytes, const std::string& path) {
  const BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  X509StackPtr certs(sk_X509_new_null());
  if (!bio || !certs) return MakeError(ErrorCode::kInternal, "out of memory reading " + path);
  PasswordData no_password;
  while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, PasswordCallback, &no_password)) {
    if (sk_X509_push(certs.get(), x) <= 0) {
      X509_free(x);
      return MakeError(ErrorCode::kInternal, "out of memory reading " + path);
    }
  }
  // Running out of PEM blocks ends the loop with "no start line"; anything else is a damaged block.
  const unsigned long err = ERR_peek_last_error();
  if (ERR_GET_LIB(err) != ERR_LIB_PEM || ERR_GET_REASON(err) != PEM_R_NO_START_LINE) {
    return ConfigError("certificate file", path, std::string("corrupt PEM certificate (") + OpensslReason() + ")");
  }
  if (sk_X509_num(certs.get()) == 0) {
    return ConfigError("certificate file", path, "no certificate found (expected PEM CERTIFICATE blocks or PKCS#12)");
  }
  return certs;
}

Result<PkeyPtr> ReadPemKey(const std::string& path, const std::string* password) {
  std::string bytes;
  const WipeOnExit cleanse(bytes);
  BANKFEED_RETURN_IF_ERROR(ReadSecretInto(path, "key file", bytes));
  const BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  if (!bio) return MakeError(ErrorCode::kInternal, "out of memory reading " + path);
  PasswordData pw{password};
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, PasswordCallback, &pw));
  if (key) return key;
  if (pw.asked && password == nullptr) {
    return ConfigError("key file", path, "the key is encrypted; set password_file or password_env");
  }
  if (pw.too_long) return ConfigError("key file", path, "password too long (over 1023 bytes)");
  if (pw.asked) return ConfigError("key file", path, "wrong password or corrupt key");
  return ConfigError("key file", path, "no PEM private key found, or the key is corrupt");
}

Result<Parts> LoadPem(const std::string& bytes, const CredentialSource& source, const std::string* password) {
  if (source.key_file.empty()) {
    return ConfigError("certificate file", source.certificate_file,
                       "PEM certificate needs key_file (only PKCS#12 carries its own key)");
  }
  Parts parts;
  BANKFEED_ASSIGN_OR_RETURN(parts.chain, ReadPemCertificates(bytes, source.certificate_file));
  parts.cert.reset(sk_X509_shift(parts.chain.get()));  // the leaf comes first
  BANKFEED_ASSIGN_OR_RETURN(parts.key, ReadPemKey(source.key_file, password));
  if (X509_check_private_key(parts.cert.get(), parts.key.get()) != 1) {
    return ConfigError("certificate file", source.certificate_file,
                       "does not match key file " + source.key_file + " (different key pair)");
  }
  return parts;
}

// ---- PKCS#12 ----

// A library context with the "default" and "legacy" providers, for old PKCS#12 ciphers (RC2-40, 3DES). Created on
// first need and kept for the life of the process (static, so never reported as a leak). Null if the legacy module
// cannot be loaded.
OSSL_LIB_CTX* LegacyLibraryContext() {
  static OSSL_LIB_CTX* const ctx = [] {
    OSSL_LIB_CTX* c = OSSL_LIB_CTX_new();
    if (c == nullptr) return c;
    // Loading providers explicitly turns off the automatic "default" one, so both are named.
    if (OSSL_PROVIDER_load(c, "default") == nullptr || OSSL_PROVIDER_load(c, "legacy") == nullptr) {
      OSSL_LIB_CTX_free(c);
      return static_cast<OSSL_LIB_CTX*>(nullptr);
    }
    return c;
  }();
  return ctx;
}

// Decodes a PKCS#12 file whose decryption will use `libctx` (null: the default context). PKCS12_parse takes its
// library context from the PKCS12 object, and d2i into an object made by PKCS12_init_ex keeps that context (this
// is how the OpenSSL 3 `pkcs12` command applies -legacy / -provider options).
Pkcs12Ptr DecodePkcs12(const std::string& bytes, OSSL_LIB_CTX* libctx) {
  const BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  if (!bio) return nullptr;
  PKCS12* p12 = nullptr;
  if (libctx != nullptr && (p12 = PKCS12_init_ex(NID_pkcs7_data, libctx, nullptr)) == nullptr) return nullptr;
  d2i_PKCS12_bio(bio.get(), &p12);  // on failure it frees the object it was given and nulls p12
  return Pkcs12Ptr(p12);
}

bool Pkcs12Parse(PKCS12* p12, const std::string* password, Parts& parts) {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* chain = nullptr;
  // Null or empty: PKCS12_parse itself tries both the absent and the empty password.
  if (PKCS12_parse(p12, password != nullptr ? password->c_str() : nullptr, &key, &cert, &chain) != 1) return false;
  parts.key.reset(key);
  parts.cert.reset(cert);
  parts.chain.reset(chain != nullptr ? chain : sk_X509_new_null());
  return true;
}

// Moves what the legacy context decoded into the default context (DER round trip; the key's DER is cleansed).
bool ToDefaultContext(Parts& parts) {
  auto redecode_cert = [](X509Ptr& x) {
    unsigned char* der = nullptr;
    const int n = i2d_X509(x.get(), &der);
    if (n <= 0) return false;
    const unsigned char* p = der;
    x.reset(d2i_X509(nullptr, &p, n));
    OPENSSL_free(der);
    return x != nullptr;
  };
  if (!redecode_cert(parts.cert)) return false;
  for (int i = 0; i < sk_X509_num(parts.chain.get()); ++i) {
    X509Ptr c(sk_X509_value(parts.chain.get(), i));
    const bool ok = redecode_cert(c);
    sk_X509_set(parts.chain.get(), i, c.release());
    if (!ok) return false;  // a null left in the stack is skipped by sk_X509_pop_free's X509_free(nullptr)
  }
  unsigned char* der = nullptr;
  const int n = i2d_PrivateKey(parts.key.get(), &der);
  if (n <= 0) return false;
  const unsigned char* p = der;
  parts.key.reset(d2i_AutoPrivateKey(nullptr, &p, n));
  OPENSSL_clear_free(der, static_cast<size_t>(n));
  return parts.key != nullptr;
}

Result<Parts> LoadPkcs12(const std::string& bytes, const CredentialSource& source, const std::string* password) {
  const std::string& path = source.certificate_file;
  if (!source.key_file.empty()) {
    return ConfigError("PKCS#12 file", path, "holds its own key; leave key_file empty");
  }
  const Pkcs12Ptr p12 = DecodePkcs12(bytes, nullptr);
  if (!p12) return ConfigError("PKCS#12 file", path, "corrupt (not DER PKCS#12 or PEM)");
  // Checking the MAC first tells a wrong password apart from a cipher the default context lacks.
  if (PKCS12_mac_present(p12.get()) == 1) {
    const bool ok = (password != nullptr && !password->empty())
                        ? PKCS12_verify_mac(p12.get(), password->c_str(), -1) == 1
                        : (PKCS12_verify_mac(p12.get(), nullptr, 0) == 1 || PKCS12_verify_mac(p12.get(), "", 0) == 1);
    if (!ok && password == nullptr) {
      return ConfigError("PKCS#12 file", path, "needs a password; set password_file or password_env");
    }
    if (!ok) return ConfigError("PKCS#12 file", path, "wrong password (MAC check failed)");
  }
  Parts parts;
  if (!Pkcs12Parse(p12.get(), password, parts)) {
    OSSL_LIB_CTX* legacy = LegacyLibraryContext();
    const Pkcs12Ptr p12_legacy = legacy != nullptr ? DecodePkcs12(bytes, legacy) : nullptr;
    if (!p12_legacy || !Pkcs12Parse(p12_legacy.get(), password, parts) || !ToDefaultContext(parts)) {
      return ConfigError("PKCS#12 file", path,
                         std::string("cannot decrypt its contents, even with the legacy provider (") +
                             OpensslReason() + ")");
    }
  }
  if (!parts.key) return ConfigError("PKCS#12 file", path, "holds no private key");
  if (!parts.cert) return ConfigError("PKCS#12 file", path, "holds no certificate matching its private key");
  // PKCS12_parse pairs key and certificate by localKeyID when there is one; make sure they really belong together.
  if (X509_check_private_key(parts.cert.get(), parts.key.get()) != 1) {
    return ConfigError("PKCS#12 file", path, "its certificate does not match its private key");
  }
  return parts;
}

std::string TimeText(const ASN1_TIME* t) {
  struct tm utc {};
  char buf[32] = "?";
  if (ASN1_TIME_to_tm(t, &utc) == 1) std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

Status CheckValidNow(X509* cert, const std::string& path) {
  const ASN1_TIME* not_before = X509_get0_notBefore(cert);
  const ASN1_TIME* not_after = X509_get0_notAfter(cert);
  const int before = X509_cmp_current_time(not_before);  // -1: in the past, 1: in the future, 0: unreadable
  const int after = X509_cmp_current_time(not_after);
  if (before == 0 || after == 0) return ConfigError("certificate file", path, "unreadable validity dates");
  if (before > 0) return ConfigError("certificate file", path, "not valid before " + TimeText(not_before));
  if (after < 0) return ConfigError("certificate file", path, "expired on " + TimeText(not_after));
  return {};
}

}  // namespace

Result<std::string> ReadSecretFile(const std::string& path, std::string_view what) {
  // Read in place and return the one object (NRVO), so no moved-from copy of a short secret is left behind.
  Result<std::string> out(tl::in_place);
  Status status = ReadSecretInto(path, what, *out);
  if (!status) {
    OPENSSL_cleanse(out->data(), out->size());
    out = tl::unexpected(std::move(status).error());
  }
  return out;
}

Result<Credential> Credential::Load(const CredentialSource& source) {
  const ErrorQueueGuard errors;
  if (source.certificate_file.empty()) return MakeError(ErrorCode::kConfig, "credentials: certificate_file is not set");

  std::string password;
  const WipeOnExit cleanse_password(password);
  bool has_password = false;
  BANKFEED_RETURN_IF_ERROR(ReadPassword(source, password, has_password));
  const std::string* password_or_null = has_password ? &password : nullptr;

  std::string bytes;
  const WipeOnExit cleanse_bytes(bytes);  // a PKCS#12 file is encrypted, but a PEM one may hold a key too
  mode_t mode = 0;
  BANKFEED_RETURN_IF_ERROR(ReadRegularFile(source.certificate_file, "certificate file", bytes, mode));

  Parts parts;
  if (LooksLikePkcs12(bytes)) {
    BANKFEED_RETURN_IF_ERROR(CheckPrivateMode(source.certificate_file, "PKCS#12 file", mode));
    BANKFEED_ASSIGN_OR_RETURN(parts, LoadPkcs12(bytes, source, password_or_null));
  } else {
    BANKFEED_ASSIGN_OR_RETURN(parts, LoadPem(bytes, source, password_or_null));
  }
  BANKFEED_RETURN_IF_ERROR(CheckValidNow(parts.cert.get(), source.certificate_file));

  Credential credential;
  credential.cert_ = std::move(parts.cert);
  credential.key_ = std::move(parts.key);
  credential.chain_ = std::move(parts.chain);
  return credential;
}

std::string Credential::CertificatePem() const {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert_.get()) != 1) return {};
  return BioContents(bio.get());
}

std::string Credential::CertificateChainPem() const {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert_.get()) != 1) return {};
  for (int i = 0; i < sk_X509_num(chain_.get()); ++i) {
    if (PEM_write_bio_X509(bio.get(), sk_X509_value(chain_.get(), i)) != 1) return {};
  }
  return BioContents(bio.get());
}

std::string Credential::KeyPem() const {
  // A secure-memory BIO cleanses its buffer when it grows and when it is freed, so the only copy left is ours.
  const BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) return {};
  return BioContents(bio.get());
}

std::string Credential::SerialHex(bool uppercase) const {
  const ErrorQueueGuard errors;
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert_.get()), nullptr);
  char* hex = bn != nullptr ? BN_bn2hex(bn) : nullptr;
  std::string out = hex != nullptr ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  if (!uppercase) {
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

namespace {

std::string Rfc2253(const X509_NAME* name) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return {};
  return BioContents(bio.get());
}

}  // namespace

std::string Credential::IssuerDn() const { return Rfc2253(X509_get_issuer_name(cert_.get())); }

std::string Credential::SubjectDn() const { return Rfc2253(X509_get_subject_name(cert_.get())); }

std::string Credential::CertificateDerBase64() const {
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert_.get(), &der);
  if (n <= 0) return {};
  std::string out(4 * ((static_cast<size_t>(n) + 2) / 3) + 1, '\0');  // +1: EVP_EncodeBlock writes a NUL
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), der, n);
  OPENSSL_free(der);
  out.resize(written > 0 ? static_cast<size_t>(written) : 0);
  return out;
}

}  // namespace bankfeed::pki
