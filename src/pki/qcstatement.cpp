// The qcStatements parser: a bounded, non-recursive walk over DER with OpenSSL's ASN1_get_object for each header.
//
//   QCStatements ::= SEQUENCE OF QCStatement                                   -- RFC 3739
//   QCStatement  ::= SEQUENCE { statementId OBJECT IDENTIFIER, statementInfo ANY OPTIONAL }
//   QcType       ::= SEQUENCE OF OBJECT IDENTIFIER                            -- ETSI EN 319 412-5
//   PSD2QcType   ::= SEQUENCE { rolesOfPSP SEQUENCE OF RoleOfPSP, nCAName UTF8String, nCAId UTF8String }
//   RoleOfPSP    ::= SEQUENCE { roleOfPspOid OBJECT IDENTIFIER, roleOfPspName UTF8String }  -- ETSI TS 119 495
//
// The nesting is fixed by the grammar, so the walk is a few loops deep whatever the input: no recursion to blow up.
// Every length is checked against the bytes that are left before anything is read.
#include "bankfeed/qcstatement.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "pki/openssl_ptr.hpp"

namespace bankfeed {
namespace {

using Bytes = std::span<const unsigned char>;
using pki::Asn1ObjectPtr;

// DER contents (after tag and length) of the OIDs we look for.
constexpr std::array<unsigned char, 6> kPsd2Statement = {0x04, 0x00, 0x81, 0x98, 0x27, 0x02};  // 0.4.0.19495.2
constexpr std::array<unsigned char, 6> kQcCompliance = {0x04, 0x00, 0x8e, 0x46, 0x01, 0x01};    // 0.4.0.1862.1.1
constexpr std::array<unsigned char, 6> kQcType = {0x04, 0x00, 0x8e, 0x46, 0x01, 0x06};          // 0.4.0.1862.1.6
constexpr std::array<unsigned char, 6> kRolePrefix = {0x04, 0x00, 0x81, 0x98, 0x27, 0x01};      // 0.4.0.19495.1

constexpr std::string_view kRoleNames[] = {"PSP_AS", "PSP_PI", "PSP_AI", "PSP_IC"};   // 0.4.0.19495.1.1 .. 4
constexpr std::string_view kQcTypeNames[] = {"esign", "eseal", "web"};                // 0.4.0.1862.1.6.1 .. 3

// ETSI TS 119 495: roleOfPspName, nCAName and nCAId are SIZE (1..256) characters.
constexpr size_t kMaxTextChars = 256;
// Real OIDs are a few dozen bytes. The cap keeps OBJ_obj2txt cheap on hostile input (its cost grows with the size
// of a sub-identifier; see CVE-2023-2650).
constexpr size_t kMaxOidBytes = 128;

tl::unexpected<Error> Invalid(std::string_view problem) {
  return MakeError(ErrorCode::kInvalidInput, "qcStatements: " + std::string(problem));
}

template <size_t N>
bool Equals(Bytes b, const std::array<unsigned char, N>& a) {
  return std::ranges::equal(b, a);
}

struct Tlv {
  int tag = 0;
  bool constructed = false;
  Bytes content;  // the value bytes
  Bytes whole;    // tag, length and value
};

// Reads consecutive TLVs from a byte range; never reads outside it.
class DerReader {
 public:
  explicit DerReader(Bytes in) : rest_(in) {}
  bool empty() const { return rest_.empty(); }

  // The next TLV, which must be universal-class `tag` (and constructed for SEQUENCE).
  Result<Tlv> Expect(int tag, std::string_view what) {
    BANKFEED_ASSIGN_OR_RETURN(Tlv tlv, Next());
    if (tlv.tag != tag || tlv.constructed != (tag == V_ASN1_SEQUENCE)) {
      return Invalid(std::string(what) + (tag == V_ASN1_SEQUENCE ? " is not a SEQUENCE"
                                          : tag == V_ASN1_OBJECT ? " is not an OBJECT IDENTIFIER"
                                                                 : " has the wrong type"));
    }
    return tlv;
  }

  Result<Tlv> Next() {
    if (rest_.empty()) return Invalid("truncated DER");  // an element expected, nothing left
    if (rest_.size() > static_cast<size_t>(LONG_MAX)) return Invalid("input too large");
    const unsigned char* p = rest_.data();
    long length = 0;
    int tag = 0;
    int cls = 0;
    const int ret = ASN1_get_object(&p, &length, &tag, &cls, static_cast<long>(rest_.size()));
    if ((ret & 0x80) != 0) {
      // The header itself ran out (or is beyond what OpenSSL reads, e.g. a 9-byte length), or the length claims
      // more bytes than there are.
      const int reason = ERR_GET_REASON(ERR_peek_last_error());
      return Invalid(reason == ASN1_R_TOO_LONG || reason == ASN1_R_HEADER_TOO_LONG ? "truncated DER"
                                                                                   : "malformed DER header");
    }
    if ((ret & 0x01) != 0) return Invalid("indefinite length (BER, not DER)");
    if (cls != V_ASN1_UNIVERSAL) return Invalid("unexpected tagged element");
    const auto header = static_cast<size_t>(p - rest_.data());
    const auto total = header + static_cast<size_t>(length);  // ASN1_get_object checked length <= what is left
    Tlv tlv{tag, (ret & V_ASN1_CONSTRUCTED) != 0, rest_.subspan(header, static_cast<size_t>(length)),
            rest_.first(total)};
    rest_ = rest_.subspan(total);
    return tlv;
  }

  // The universal tag of the next element without consuming it; -1 when there is none or it is unreadable.
  int PeekTag() const {
    if (rest_.empty() || (rest_[0] & 0xc0) != 0 || (rest_[0] & 0x1f) == 0x1f) return -1;
    return rest_[0] & 0x1f;
  }

 private:
  Bytes rest_;
};

// An OBJECT IDENTIFIER, checked by OpenSSL (no 0x80 padding, no unfinished sub-identifier).
Result<Tlv> ReadOid(DerReader& r, std::string_view what) {
  BANKFEED_ASSIGN_OR_RETURN(Tlv tlv, r.Expect(V_ASN1_OBJECT, what));
  if (tlv.content.size() > kMaxOidBytes) return Invalid(std::string(what) + " is too long for an OBJECT IDENTIFIER");
  const unsigned char* p = tlv.whole.data();
  const Asn1ObjectPtr obj(d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(tlv.whole.size())));
  if (!obj || tlv.content.empty()) return Invalid(std::string(what) + " is not a valid OBJECT IDENTIFIER");
  return tlv;
}

// Dotted text of an OID read by ReadOid ("?" cannot happen for one that ReadOid accepted).
std::string DottedOid(const Tlv& oid) {
  const unsigned char* p = oid.whole.data();
  const Asn1ObjectPtr obj(d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(oid.whole.size())));
  const int n = obj ? OBJ_obj2txt(nullptr, 0, obj.get(), 1) : 0;
  if (n <= 0) return "?";
  std::string text(static_cast<size_t>(n) + 1, '\0');
  OBJ_obj2txt(text.data(), n + 1, obj.get(), 1);
  text.resize(static_cast<size_t>(n));
  return text;
}

// Valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF), no control characters, 1..256 characters.
bool IsCleanText(Bytes s) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++chars) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return false;
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      cp = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      cp = c & 0x0fu;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return false;  // a continuation byte first, an overlong 2-byte lead (C0, C1), or past U+10FFFF
    }
    if (s.size() - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += len;
  }
  return chars >= 1 && chars <= kMaxTextChars;
}

// A UTF8String (PrintableString and IA5String are tolerated: both are ASCII, which is UTF-8).
Result<std::string> ReadText(DerReader& r, std::string_view what) {
  BANKFEED_ASSIGN_OR_RETURN(Tlv tlv, r.Next());
  if (tlv.constructed ||
      (tlv.tag != V_ASN1_UTF8STRING && tlv.tag != V_ASN1_PRINTABLESTRING && tlv.tag != V_ASN1_IA5STRING)) {
    return Invalid(std::string(what) + " is not a UTF8String");
  }
  if (!IsCleanText(tlv.content)) {
    return Invalid(std::string(what) + " is not 1 to 256 characters of valid UTF-8 text");
  }
  return std::string(reinterpret_cast<const char*>(tlv.content.data()), tlv.content.size());
}

// The name of a known OID under `prefix` whose last arc (one byte) is 1..names.size(); else its dotted text.
std::string NameUnder(const Tlv& oid, const std::array<unsigned char, 6>& prefix,
                      std::span<const std::string_view> names) {
  const Bytes arcs = oid.content;
  if (arcs.size() == prefix.size() + 1 && Equals(arcs.first(prefix.size()), prefix)) {
    const unsigned last = arcs.back();
    if (last >= 1 && last <= names.size()) return std::string(names[last - 1]);
  }
  return DottedOid(oid);
}

Status ParsePsd2(const Tlv& info, Psd2Attributes& out) {
  if (info.tag != V_ASN1_SEQUENCE || !info.constructed) return Invalid("PSD2 statementInfo is not a SEQUENCE");
  DerReader psd2(info.content);
  BANKFEED_ASSIGN_OR_RETURN(Tlv roles, psd2.Expect(V_ASN1_SEQUENCE, "rolesOfPSP"));
  DerReader role_list(roles.content);
  while (!role_list.empty()) {
    BANKFEED_ASSIGN_OR_RETURN(Tlv role, role_list.Expect(V_ASN1_SEQUENCE, "RoleOfPSP"));
    DerReader fields(role.content);
    BANKFEED_ASSIGN_OR_RETURN(Tlv oid, ReadOid(fields, "roleOfPspOid"));
    BANKFEED_RETURN_IF_ERROR(ReadText(fields, "roleOfPspName"));
    if (!fields.empty()) return Invalid("RoleOfPSP has more than an OID and a name");
    std::string name = NameUnder(oid, kRolePrefix, kRoleNames);
    if (std::ranges::find(out.roles, name) == out.roles.end()) out.roles.push_back(std::move(name));
  }
  BANKFEED_ASSIGN_OR_RETURN(out.nca_name, ReadText(psd2, "nCAName"));
  BANKFEED_ASSIGN_OR_RETURN(out.nca_id, ReadText(psd2, "nCAId"));
  if (!psd2.empty()) return Invalid("PSD2 statementInfo has elements after nCAId");
  return {};
}

Status ParseQcType(const Tlv& info, Psd2Attributes& out) {
  if (info.tag != V_ASN1_SEQUENCE || !info.constructed) return Invalid("QcType statementInfo is not a SEQUENCE");
  DerReader types(info.content);
  while (!types.empty()) {
    BANKFEED_ASSIGN_OR_RETURN(Tlv oid, ReadOid(types, "QcType"));
    if (!out.qc_type) out.qc_type = NameUnder(oid, kQcType, kQcTypeNames);
  }
  return {};
}

struct Seen {
  bool psd2 = false;
};

// One QCStatement's contents: statementId, then the optional statementInfo.
Status ParseStatement(Bytes statement, Psd2Attributes& out, Seen& seen) {
  DerReader r(statement);
  BANKFEED_ASSIGN_OR_RETURN(Tlv id_tlv, ReadOid(r, "statementId"));
  const Bytes id = id_tlv.content;
  std::optional<Tlv> info;
  if (!r.empty()) {
    BANKFEED_ASSIGN_OR_RETURN(info, r.Next());
  }
  if (!r.empty()) return Invalid("QCStatement has more than statementId and statementInfo");
  if (Equals(id, kQcCompliance)) {
    out.qc_compliance = true;
  } else if (Equals(id, kQcType)) {
    if (!info) return Invalid("QcType statement without statementInfo");
    BANKFEED_RETURN_IF_ERROR(ParseQcType(*info, out));
  } else if (Equals(id, kPsd2Statement)) {
    if (seen.psd2) return Invalid("more than one PSD2 QCStatement");
    if (!info) return Invalid("PSD2 QCStatement without statementInfo");
    seen.psd2 = true;
    BANKFEED_RETURN_IF_ERROR(ParsePsd2(*info, out));
  }
  // Other statements (QcSSCD, QcPDS, QcRetentionPeriod, semantics ids, ...) do not concern PSD2 roles: skipped.
  return {};
}

Result<Psd2Attributes> Parse(Bytes der) {
  DerReader top(der);
  BANKFEED_ASSIGN_OR_RETURN(Tlv outer, top.Expect(V_ASN1_SEQUENCE, "the extension value"));
  if (!top.empty()) return Invalid("trailing bytes after the SEQUENCE");
  Psd2Attributes out;
  Seen seen;
  DerReader statements(outer.content);
  if (statements.PeekTag() == V_ASN1_OBJECT) {
    // adorsys' bare QCStatement (see the header): the outer SEQUENCE is the statement itself.
    BANKFEED_RETURN_IF_ERROR(ParseStatement(outer.content, out, seen));
  } else {
    while (!statements.empty()) {
      BANKFEED_ASSIGN_OR_RETURN(Tlv statement, statements.Expect(V_ASN1_SEQUENCE, "QCStatement"));
      BANKFEED_RETURN_IF_ERROR(ParseStatement(statement.content, out, seen));
    }
  }
  if (!seen.psd2) return Invalid("no PSD2 QCStatement (0.4.0.19495.2)");
  return out;
}

int NoPassword(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) { return -1; }

tl::unexpected<Error> BadCertificate(std::string_view problem) {
  return MakeError(ErrorCode::kInvalidInput, "certificate: " + std::string(problem));
}

Result<pki::X509Ptr> DecodeCertificate(std::string_view pem_or_der) {
  if (pem_or_der.size() > static_cast<size_t>(INT_MAX)) return BadCertificate("input too large");
  if (pem_or_der.find("-----BEGIN") != std::string_view::npos) {
    const pki::BioPtr bio(BIO_new_mem_buf(pem_or_der.data(), static_cast<int>(pem_or_der.size())));
    // An explicit callback: OpenSSL's default one would prompt on the terminal for an "encrypted" PEM block.
    pki::X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, NoPassword, nullptr) : nullptr);
    if (!cert) return BadCertificate("no readable PEM CERTIFICATE block");
    return cert;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(pem_or_der.data());
  pki::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(pem_or_der.size())));
  if (!cert) return BadCertificate("not a PEM or DER X.509 certificate");
  if (p != reinterpret_cast<const unsigned char*>(pem_or_der.data()) + pem_or_der.size()) {
    return BadCertificate("trailing bytes after the DER certificate");
  }
  return cert;
}

std::optional<std::string> OrganizationIdentifier(X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  const int index = X509_NAME_get_index_by_NID(subject, NID_organizationIdentifier, -1);
  if (index < 0) return std::nullopt;
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, value);
  if (n < 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

}  // namespace

Result<Psd2Attributes> ParseQcStatements(std::span<const unsigned char> extension_value_der) {
  const pki::ErrorQueueGuard errors;
  return Parse(extension_value_der);
}

Result<Psd2Attributes> Psd2AttributesOfCertificate(std::string_view pem_or_der) {
  const pki::ErrorQueueGuard errors;
  BANKFEED_ASSIGN_OR_RETURN(const pki::X509Ptr cert, DecodeCertificate(pem_or_der));
  const int index = X509_get_ext_by_NID(cert.get(), NID_qcStatements, -1);
  if (index < 0) return BadCertificate("no qcStatements extension (1.3.6.1.5.5.7.1.3)");
  if (X509_get_ext_by_NID(cert.get(), NID_qcStatements, index) >= 0) {
    return BadCertificate("more than one qcStatements extension");
  }
  const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(X509_get_ext(cert.get(), index));
  const Bytes der(ASN1_STRING_get0_data(value), static_cast<size_t>(ASN1_STRING_length(value)));
  BANKFEED_ASSIGN_OR_RETURN(Psd2Attributes attrs, Parse(der));
  attrs.organization_identifier = OrganizationIdentifier(cert.get());
  return attrs;
}

}  // namespace bankfeed
