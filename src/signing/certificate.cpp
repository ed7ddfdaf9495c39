#include "signing/certificate.hpp"

#include <memory>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "signing/base64.hpp"

namespace bankfeed::signing {
namespace {

struct BnDeleter {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct OpenSslStringDeleter {
  void operator()(char* p) const { OPENSSL_free(p); }
};
struct Asn1TypeDeleter {
  void operator()(ASN1_TYPE* t) const { ASN1_TYPE_free(t); }
};

tl::unexpected<Error> CertificateError(ErrorCode code, std::string message) {
  ERR_clear_error();  // see rsa.cpp: nothing of OpenSSL's queue outlives the call
  return MakeError(code, std::move(message));
}

Result<std::string> SerialHex(X509* cert, bool uppercase) {
  const std::unique_ptr<BIGNUM, BnDeleter> bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (!bn) return CertificateError(ErrorCode::kConfig, "certificate: unreadable serial number");
  if (BN_is_negative(bn.get())) return CertificateError(ErrorCode::kConfig, "certificate: negative serial number");
  const std::unique_ptr<char, OpenSslStringDeleter> hex(BN_bn2hex(bn.get()));
  if (!hex) return CertificateError(ErrorCode::kConfig, "certificate: unreadable serial number");
  std::string s(hex.get());  // upper-case, whole bytes: 0x0ABC is "0ABC"
  const size_t first = s.find_first_not_of('0');
  s.erase(0, first == std::string::npos ? s.size() - 1 : first);
  if (!uppercase) {
    for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
  }
  return s;
}

// RFC 4514 §3's short names; every other attribute type is written as its dotted OID.
const char* Rfc4514Name(int nid) {
  switch (nid) {
    case NID_commonName: return "CN";
    case NID_localityName: return "L";
    case NID_stateOrProvinceName: return "ST";
    case NID_organizationName: return "O";
    case NID_organizationalUnitName: return "OU";
    case NID_countryName: return "C";
    case NID_streetAddress: return "STREET";
    case NID_domainComponent: return "DC";
    case NID_userId: return "UID";
    default: return nullptr;
  }
}

// RFC 4514 §2.4 escaping of a UTF-8 string value.
void AppendEscaped(std::string& out, std::string_view v) {
  for (size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '\0') {
      out += "\\00";
      continue;
    }
    const bool special = c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>' || c == '\\';
    const bool edge = (i == 0 && (c == ' ' || c == '#')) || (i + 1 == v.size() && c == ' ');
    if (special || edge) out += '\\';
    out += c;
  }
}

Status AppendAttribute(std::string& out, const X509_NAME_ENTRY* entry) {
  const ASN1_OBJECT* object = X509_NAME_ENTRY_get_object(entry);
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(entry);
  if (const char* name = Rfc4514Name(OBJ_obj2nid(object))) {
    unsigned char* utf8 = nullptr;
    const int n = ASN1_STRING_to_UTF8(&utf8, value);
    if (n < 0) return CertificateError(ErrorCode::kConfig, "certificate: undecodable issuer name");
    const std::unique_ptr<char, OpenSslStringDeleter> owned(reinterpret_cast<char*>(utf8));
    out += name;
    out += '=';
    AppendEscaped(out, std::string_view(owned.get(), static_cast<size_t>(n)));
    return {};
  }
  char oid[128];
  const int oid_len = OBJ_obj2txt(oid, sizeof oid, object, 1);
  if (oid_len <= 0 || oid_len >= static_cast<int>(sizeof oid)) {
    return CertificateError(ErrorCode::kConfig, "certificate: undecodable issuer name");
  }
  // "#" + the hex of the value's DER encoding (tag, length, contents).
  const std::unique_ptr<ASN1_TYPE, Asn1TypeDeleter> any(ASN1_TYPE_new());
  if (!any || ASN1_TYPE_set1(any.get(), ASN1_STRING_type(value), value) != 1) {
    return CertificateError(ErrorCode::kConfig, "certificate: undecodable issuer name");
  }
  unsigned char* der = nullptr;
  const int der_len = i2d_ASN1_TYPE(any.get(), &der);
  if (der_len <= 0) return CertificateError(ErrorCode::kConfig, "certificate: undecodable issuer name");
  const std::unique_ptr<char, OpenSslStringDeleter> owned(reinterpret_cast<char*>(der));
  out.append(oid, static_cast<size_t>(oid_len));
  out += "=#";
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < der_len; ++i) {
    out += kHex[der[i] >> 4];
    out += kHex[der[i] & 15];
  }
  return {};
}

// RFC 4514 §2.1: the RDNs from the last to the first, separated by ','; the attributes of a multi-valued RDN in
// their encoded order, joined by '+' (as Python's cryptography writes them).
Result<std::string> IssuerRfc4514(X509* cert) {
  const X509_NAME* name = X509_get_issuer_name(cert);
  std::string out;
  for (int last = X509_NAME_entry_count(name) - 1; last >= 0;) {
    const int set = X509_NAME_ENTRY_set(X509_NAME_get_entry(name, last));
    int first = last;
    while (first > 0 && X509_NAME_ENTRY_set(X509_NAME_get_entry(name, first - 1)) == set) --first;
    if (!out.empty()) out += ',';
    for (int i = first; i <= last; ++i) {
      if (i > first) out += '+';
      BANKFEED_RETURN_IF_ERROR(AppendAttribute(out, X509_NAME_get_entry(name, i)));
    }
    last = first - 1;
  }
  if (out.empty()) return CertificateError(ErrorCode::kConfig, "certificate: empty issuer name");
  return out;
}

}  // namespace

Result<std::string> SerialIssuerKeyId(X509* cert, bool serial_uppercase) {
  if (cert == nullptr) return CertificateError(ErrorCode::kInvalidArgument, "certificate: null");
  BANKFEED_ASSIGN_OR_RETURN(const std::string serial, SerialHex(cert, serial_uppercase));
  BANKFEED_ASSIGN_OR_RETURN(const std::string issuer, IssuerRfc4514(cert));
  std::string key_id = "SN=" + serial + ",CA=";
  for (const char c : issuer) {
    if (c == ' ') {
      key_id += "%20";
    } else {
      key_id += c;
    }
  }
  return key_id;
}

Result<std::string> CertificateHeaderValue(X509* cert, CavageOptions::CertificateEncoding encoding) {
  if (cert == nullptr) return CertificateError(ErrorCode::kInvalidArgument, "certificate: null");
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert, &der);
  if (len <= 0) return CertificateError(ErrorCode::kConfig, "certificate: cannot encode");
  const std::unique_ptr<char, OpenSslStringDeleter> owned(reinterpret_cast<char*>(der));
  std::string b64 = Base64Encode(std::string_view(owned.get(), static_cast<size_t>(len)));
  if (encoding == CavageOptions::CertificateEncoding::kPem) {
    return "-----BEGIN CERTIFICATE-----" + b64 + "-----END CERTIFICATE-----";
  }
  return b64;
}

Status CheckKeyMatchesCertificate(X509* cert, EVP_PKEY* key) {
  if (cert == nullptr || key == nullptr) return CertificateError(ErrorCode::kInvalidArgument, "certificate or key: null");
  const EVP_PKEY* cert_key = X509_get0_pubkey(cert);
  if (cert_key == nullptr || EVP_PKEY_eq(cert_key, key) != 1) {
    return CertificateError(ErrorCode::kConfig, "signing key: does not belong to the signing certificate");
  }
  return {};
}

std::string CertificateSha256Hex(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (cert == nullptr || X509_digest(cert, EVP_sha256(), md, &len) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

}  // namespace bankfeed::signing
