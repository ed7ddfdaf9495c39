#include "signing/cavage.hpp"

#include <algorithm>
#include <span>

#include "signing/base64.hpp"
#include "signing/certificate.hpp"
#include "signing/digest.hpp"
#include "signing/rsa.hpp"
#include "common/text.hpp"

namespace bankfeed::signing {
namespace {

constexpr std::string_view kRequestTarget = "(request-target)";

struct SigningInput {
  std::string text;         // the signing string
  std::string header_list;  // the headers="..." value: the names actually signed
};

bool Contains(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

bool HasLineBreakOrNul(std::string_view v) {
  return v.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// `code` is kInvalidArgument when we sign (our caller built the request) and kInvalidInput when we verify (someone
// else sent it). `optional` lists names that are skipped when absent; `list_as_sent` spells the header list as the
// request does (CavageOptions::headers_capitalised_in_list).
Result<SigningInput> BuildSigningInput(const RequestView& request, std::span<const std::string> names,
                                       const std::vector<std::string>& optional, bool list_as_sent, ErrorCode code) {
  SigningInput out;
  for (const std::string& name : names) {
    std::string line = name;
    line += ": ";
    std::string_view spelled = name;
    if (name == kRequestTarget) {
      if (!IsToken(request.method)) return MakeError(code, "(request-target): the method is not a token");
      if (request.target.empty() || request.target.find_first_of(" \t\r\n") != std::string_view::npos ||
          request.target.find('\0') != std::string_view::npos) {
        return MakeError(code, "(request-target): the target is empty or holds white space");
      }
      line += LowerAscii(request.method);
      line += ' ';
      line += request.target;
    } else {
      bool found = false;
      for (const HeaderField& h : request.headers) {
        if (!EqualsIgnoreCase(h.name, name)) continue;
        if (HasLineBreakOrNul(h.value)) return MakeError(code, "header " + name + ": value holds a line break");
        if (found) {
          line += ", ";
        } else {
          spelled = h.name;
        }
        line += TrimOws(h.value);
        found = true;
      }
      if (!found) {
        if (Contains(optional, name)) continue;
        return MakeError(code, "signed header " + name + " is missing from the request");
      }
    }
    if (!out.text.empty()) out.text += '\n';
    out.text += line;
    if (!out.header_list.empty()) out.header_list += ' ';
    out.header_list += list_as_sent ? spelled : std::string_view(name);
  }
  return out;
}

Result<std::string> KeyId(const CavageOptions& options, X509* cert) {
  if (options.key_id_format == CavageOptions::KeyIdFormat::kUrl) return options.key_id_url;
  if (cert == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument, "cavage: keyId SN=...,CA=... needs the signing certificate");
  }
  return SerialIssuerKeyId(cert, options.serial_uppercase);
}

}  // namespace

bool IsRsaSha256Token(std::string_view token) { return token == "rsa-sha256" || token == "SHA256withRSA"; }

Result<std::string> CavageSigningString(const RequestView& request, const CavageOptions& options) {
  BANKFEED_RETURN_IF_ERROR(options.Validate());
  BANKFEED_ASSIGN_OR_RETURN(SigningInput input, BuildSigningInput(request, options.headers, options.headers_if_present,
                                                                  false, ErrorCode::kInvalidArgument));
  return std::move(input.text);
}

Result<SignedHeaders> SignCavage(const RequestView& request, const CavageOptions& options, EVP_PKEY* key, X509* cert) {
  BANKFEED_RETURN_IF_ERROR(options.Validate());
  SignedHeaders out;
  out.digest = DigestHeader(options.digest, request.body);

  // Sign with the Digest that goes out: the caller's own if it matches the body, else ours, added to a copy.
  RequestView with_digest = request;
  bool has_digest = false;
  for (const HeaderField& h : request.headers) {
    if (!EqualsIgnoreCase(h.name, "digest")) continue;
    if (TrimOws(h.value) != out.digest) {
      return MakeError(ErrorCode::kInvalidArgument, "cavage: the request's Digest header does not match its body");
    }
    has_digest = true;
  }
  if (!has_digest) with_digest.headers.push_back({"Digest", out.digest});

  BANKFEED_ASSIGN_OR_RETURN(const SigningInput input,
                            BuildSigningInput(with_digest, options.headers, options.headers_if_present,
                                              options.headers_capitalised_in_list, ErrorCode::kInvalidArgument));
  BANKFEED_ASSIGN_OR_RETURN(const std::string key_id, KeyId(options, cert));
  if (cert != nullptr) {
    BANKFEED_RETURN_IF_ERROR(CheckKeyMatchesCertificate(cert, key));
    BANKFEED_ASSIGN_OR_RETURN(out.signature_certificate, CertificateHeaderValue(cert, options.certificate_encoding));
  }
  BANKFEED_ASSIGN_OR_RETURN(const std::string signature, RsaSign(RsaScheme::kPkcs1Sha256, input.text, key));
  auto header = FormatSignatureHeader(key_id, options.algorithm, input.header_list, Base64Encode(signature));
  // The algorithm, the names and the base64 are checked tokens: only a control character in the certificate's
  // issuer name can make the header unwritable, and that is our set-up.
  if (!header) return MakeError(ErrorCode::kConfig, "certificate: the issuer name holds a control character");
  out.signature = std::move(*header);
  return out;
}

Status VerifyCavage(const RequestView& request, const ParsedSignature& parsed, EVP_PKEY* public_key,
                    const CavageVerifyOptions& verify_options) {
  const auto bad = [](std::string reason) { return MakeError(ErrorCode::kInvalidInput, "Signature: " + reason); };
  if (parsed.algorithm.empty()) return bad("algorithm: missing");
  if (!EqualsIgnoreCase(parsed.algorithm, "rsa-sha256") && !EqualsIgnoreCase(parsed.algorithm, "SHA256withRSA")) {
    return bad("algorithm: unsupported (rsa-sha256 and SHA256withRSA are)");
  }
  for (const std::string& name : parsed.headers) {
    // draft-11+ pseudo-headers: not defined for rsa-sha256 (draft-12 §2.3), so never accepted here.
    if (name.front() == '(' && name != kRequestTarget) return bad("headers: unsupported pseudo-header");
  }
  for (const std::string& required : verify_options.required_headers) {
    if (!Contains(parsed.headers, required)) return bad("headers: " + LowerAscii(required) + " must be signed");
  }
  if (verify_options.now_unix && parsed.expires && *parsed.expires < *verify_options.now_unix) {
    return bad("expired");
  }
  BANKFEED_ASSIGN_OR_RETURN(const SigningInput input,
                            BuildSigningInput(request, parsed.headers, {}, false, ErrorCode::kInvalidInput));
  // A signed Digest only binds the body if it is the body's digest.
  if (Contains(parsed.headers, "digest")) {
    for (const HeaderField& h : request.headers) {
      if (EqualsIgnoreCase(h.name, "digest")) BANKFEED_RETURN_IF_ERROR(VerifyDigestHeader(h.value, request.body));
    }
  }
  auto verified = RsaVerify(RsaScheme::kPkcs1Sha256, input.text, parsed.signature, public_key);
  if (!verified && verified.error().code == ErrorCode::kInvalidInput) {
    return bad(verified.error().message);
  }
  return verified;
}

}  // namespace bankfeed::signing
