// The JOSE protected header of the UK Open Banking detached JWS: written with the claims in the order of the OB
// profile's examples, read strictly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/result.hpp"
#include "bankfeed/signing.hpp"

namespace bankfeed::signing {

inline constexpr std::string_view kObIat = "http://openbanking.org.uk/iat";
inline constexpr std::string_view kObIss = "http://openbanking.org.uk/iss";
inline constexpr std::string_view kObTan = "http://openbanking.org.uk/tan";

// {"alg":"PS256","kid":…,"typ":"JOSE","cty":…,"http://openbanking.org.uk/iat":<iat>,
//  "http://openbanking.org.uk/iss":…,"http://openbanking.org.uk/tan":…,["b64":false,]"crit":[["b64",]iat,iss,tan]}
// Compact JSON with no white space; "cty" is left out when options.content_type is empty.
std::string WriteJwsHeader(const JwsOptions& options, int64_t iat);

struct JwsHeader {
  std::string alg;
  std::string kid;
  int64_t iat = 0;
  std::string iss;
  std::string tan;
  bool b64 = true;  // false: RFC 7797 unencoded payload (OB v3.1.3 and earlier)
  std::vector<std::string> crit;
};

// Parses the decoded header and applies the rules that do not depend on the caller: a JSON object without
// duplicate members; "alg" PS256; "kid" a non-empty string; the three OB claims present with the right types and
// all listed in "crit"; "crit" a non-empty list of distinct names this code understands, each present; "b64", if
// present, a boolean listed in "crit" (RFC 7797 §6). Other members are ignored (RFC 7515 §4). kInvalidInput
// "JWS header: <reason>", never a value.
Result<JwsHeader> ParseJwsHeader(std::string_view json);

}  // namespace bankfeed::signing
