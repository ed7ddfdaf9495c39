// bankfeed/qcstatement.hpp: the PSD2 attributes of an eIDAS certificate (QWAC or QSealC).
//
// A PSD2 certificate says what its holder may do in its qcStatements extension (RFC 3739, OID 1.3.6.1.5.5.7.1.3):
// ETSI TS 119 495's PSD2 statement (0.4.0.19495.2) lists the roles (account information, payment initiation, ...)
// and the national competent authority that granted them; ETSI EN 319 412-5 adds QcCompliance and QcType.
//
//   auto attrs = bankfeed::Psd2AttributesOfCertificate(pem);
//   if (attrs && std::ranges::count(attrs->roles, "PSP_AI")) { ... }
//
// Parsing is strict where the data matters and lenient where real issuers differ:
// - Statements are looked up by OID, in any order; unknown statements are skipped.
// - adorsys' XS2A sandbox issues certificates whose extension is one bare QCStatement (SEQUENCE { OID, info })
//   instead of a SEQUENCE OF QCStatement. That shape is accepted and read as a list of one statement, because
//   TPPs must work against those sandboxes and the two shapes cannot be confused (a list's first element is a
//   SEQUENCE, a bare statement's an OBJECT IDENTIFIER).
// - Role OIDs decide the role; the roleOfPspName text beside them is checked to be a string but otherwise ignored.
// - Errors are ErrorCode::kInvalidInput with messages such as "qcStatements: truncated DER" or
//   "qcStatements: no PSD2 QCStatement (0.4.0.19495.2)". Any input, however malformed, is safe to pass.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/result.hpp"

namespace bankfeed {

struct Psd2Attributes {
  // "PSP_AS", "PSP_PI", "PSP_AI", "PSP_IC" in certificate order, without repeats; a role OID we do not know is kept
  // as its dotted text (e.g. "0.4.0.19495.1.9").
  std::vector<std::string> roles;
  std::string nca_name;  // e.g. "Federal Financial Supervisory Authority"
  std::string nca_id;    // e.g. "DE-BAFIN"
  bool qc_compliance = false;
  // The first QcType: "web" (QWAC), "eseal" (QSealC), "esign", or the dotted OID of another type.
  std::optional<std::string> qc_type;
  // The subject's organizationIdentifier (2.5.4.97), e.g. "PSDDE-BAFIN-123456". Set only by
  // Psd2AttributesOfCertificate, since the extension alone does not carry it.
  std::optional<std::string> organization_identifier;
};

// Parses the DER of the qcStatements extension's value (the content of its OCTET STRING).
BANKFEED_EXPORT Result<Psd2Attributes> ParseQcStatements(std::span<const unsigned char> extension_value_der);

// Finds the qcStatements extension in a certificate (PEM, the first certificate if several, or DER), parses it and
// adds the subject's organizationIdentifier.
BANKFEED_EXPORT Result<Psd2Attributes> Psd2AttributesOfCertificate(std::string_view pem_or_der);

}  // namespace bankfeed
