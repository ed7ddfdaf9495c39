#include "signing/jws_header.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <array>

#include <simdjson.h>

namespace bankfeed::signing {
namespace {

constexpr size_t kMaxMembers = 32;

tl::unexpected<Error> BadJwsHeader(std::string_view reason) {
  return MakeError(ErrorCode::kInvalidInput, "JWS header: " + std::string(reason));
}

void AppendMember(std::string& out, std::string_view name) {
  if (out.size() > 1) out += ',';
  AppendJsonString(out, name);
  out += ':';
}

// The names this code understands in "crit": RFC 7797's b64 and the three OB claims.
constexpr std::array<std::string_view, 4> kUnderstood = {"b64", kObIat, kObIss, kObTan};

}  // namespace

std::string WriteJwsHeader(const JwsOptions& options, int64_t iat) {
  const bool unencoded = options.form == JwsOptions::Form::kV313b64False;
  std::string out = "{";
  AppendMember(out, "alg");
  out += "\"PS256\"";
  AppendMember(out, "kid");
  AppendJsonString(out, options.kid);
  AppendMember(out, "typ");
  out += "\"JOSE\"";
  if (!options.content_type.empty()) {
    AppendMember(out, "cty");
    AppendJsonString(out, options.content_type);
  }
  AppendMember(out, kObIat);
  out += std::to_string(iat);
  AppendMember(out, kObIss);
  AppendJsonString(out, options.issuer);
  AppendMember(out, kObTan);
  AppendJsonString(out, options.trust_anchor);
  if (unencoded) {
    AppendMember(out, "b64");
    out += "false";
  }
  AppendMember(out, "crit");
  out += '[';
  if (unencoded) out += "\"b64\",";
  AppendJsonString(out, kObIat);
  out += ',';
  AppendJsonString(out, kObIss);
  out += ',';
  AppendJsonString(out, kObTan);
  out += "]}";
  return out;
}

Result<JwsHeader> ParseJwsHeader(std::string_view json) {
  // The DOM parser validates the whole document (the on-demand API only checks what it visits), and a JOSE header
  // is a few hundred bytes.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(json.data(), json.size()).get_object().get(object) != simdjson::SUCCESS) {
    return BadJwsHeader("not a JSON object");
  }
  JwsHeader h;
  bool has_alg = false, has_kid = false, has_iat = false, has_iss = false, has_tan = false, has_b64 = false;
  bool has_crit = false;
  std::vector<std::string_view> names;
  for (const simdjson::dom::key_value_pair member : object) {
    const std::string_view name = member.key;
    if (std::find(names.begin(), names.end(), name) != names.end()) return BadJwsHeader("duplicate member");
    if (names.size() == kMaxMembers) return BadJwsHeader("too many members");
    names.push_back(name);
    const simdjson::dom::element v = member.value;
    std::string_view s;
    if (name == "alg") {
      if (v.get_string().get(s) != simdjson::SUCCESS) return BadJwsHeader("alg: not a string");
      h.alg = s, has_alg = true;
    } else if (name == "kid") {
      if (v.get_string().get(s) != simdjson::SUCCESS || s.empty()) return BadJwsHeader("kid: not a non-empty string");
      h.kid = s, has_kid = true;
    } else if (name == kObIat) {
      if (v.get_int64().get(h.iat) != simdjson::SUCCESS || h.iat < 0) return BadJwsHeader("iat: not a Unix time");
      has_iat = true;
    } else if (name == kObIss) {
      if (v.get_string().get(s) != simdjson::SUCCESS || s.empty()) return BadJwsHeader("iss: not a non-empty string");
      h.iss = s, has_iss = true;
    } else if (name == kObTan) {
      if (v.get_string().get(s) != simdjson::SUCCESS || s.empty()) return BadJwsHeader("tan: not a non-empty string");
      h.tan = s, has_tan = true;
    } else if (name == "b64") {
      if (v.get_bool().get(h.b64) != simdjson::SUCCESS) return BadJwsHeader("b64: not a boolean");
      has_b64 = true;
    } else if (name == "crit") {
      simdjson::dom::array crit;
      if (v.get_array().get(crit) != simdjson::SUCCESS) return BadJwsHeader("crit: not an array");
      for (const simdjson::dom::element e : crit) {
        if (e.get_string().get(s) != simdjson::SUCCESS) return BadJwsHeader("crit: not an array of strings");
        if (std::find(kUnderstood.begin(), kUnderstood.end(), s) == kUnderstood.end()) {
          return BadJwsHeader("crit: names an extension this verifier does not understand");
        }
        if (std::find(h.crit.begin(), h.crit.end(), s) != h.crit.end()) return BadJwsHeader("crit: duplicate name");
        h.crit.emplace_back(s);
      }
      if (h.crit.empty()) return BadJwsHeader("crit: empty");  // RFC 7515 §4.1.11
      has_crit = true;
    }
  }
  if (!has_alg) return BadJwsHeader("alg: missing");
  if (h.alg != "PS256") return BadJwsHeader("alg: must be PS256");
  if (!has_kid) return BadJwsHeader("kid: missing");
  if (!has_iat || !has_iss || !has_tan) return BadJwsHeader("an Open Banking claim (iat, iss, tan) is missing");
  if (!has_crit) return BadJwsHeader("crit: missing");
  const auto listed = [&h](std::string_view n) { return std::find(h.crit.begin(), h.crit.end(), n) != h.crit.end(); };
  if (!listed(kObIat) || !listed(kObIss) || !listed(kObTan)) {
    return BadJwsHeader("crit: must list the Open Banking claims iat, iss and tan");
  }
  if (listed("b64") != has_b64) return BadJwsHeader("b64: must be present exactly when crit lists it");
  return h;
}

}  // namespace bankfeed::signing
