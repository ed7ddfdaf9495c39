// Fuzzes bankfeed::ParseQcStatements (the qcStatements extension of a PSD2 certificate). On success: at least the
// PSD2 statement was there, so the NCA name and id are non-empty; roles are distinct and each a known role name or
// a dotted OID; the QcType is a known name or a dotted OID; and a second parse gives the same result.
#include <algorithm>
#include <span>

#include "bankfeed/qcstatement.hpp"
#include "fuzz_common.hpp"

namespace fuzz_qcstatement {

using bankfeed::fuzz::Check;

bool IsDottedOid(std::string_view s) {
  return !s.empty() && s.front() != '.' && s.back() != '.' &&
         std::ranges::all_of(s, [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

bool IsRole(std::string_view s) {
  return s == "PSP_AS" || s == "PSP_PI" || s == "PSP_AI" || s == "PSP_IC" || IsDottedOid(s);
}

bool IsQcType(std::string_view s) { return s == "web" || s == "eseal" || s == "esign" || IsDottedOid(s); }

BANKFEED_FUZZ_TARGET(qcstatement) {
  const std::span<const unsigned char> der(data, size);
  const auto attrs = bankfeed::ParseQcStatements(der);
  if (!attrs) {
    Check(attrs.error().code == bankfeed::ErrorCode::kInvalidInput &&
          attrs.error().message.starts_with("qcStatements: "));
    return 0;
  }
  Check(!attrs->nca_name.empty() && !attrs->nca_id.empty());
  Check(!attrs->organization_identifier.has_value());
  for (size_t i = 0; i < attrs->roles.size(); ++i) {
    Check(IsRole(attrs->roles[i]));
    Check(std::count(attrs->roles.begin(), attrs->roles.end(), attrs->roles[i]) == 1);
  }
  Check(!attrs->qc_type || IsQcType(*attrs->qc_type));
  const auto again = bankfeed::ParseQcStatements(der);
  Check(again.has_value() && again->roles == attrs->roles && again->nca_name == attrs->nca_name &&
        again->nca_id == attrs->nca_id && again->qc_compliance == attrs->qc_compliance &&
        again->qc_type == attrs->qc_type);
  return 0;
}

}  // namespace fuzz_qcstatement
