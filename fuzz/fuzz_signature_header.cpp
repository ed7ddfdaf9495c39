// Fuzzes bankfeed::signing::ParseSignatureHeader (the Cavage `Signature` header the sandbox bank reads from every
// request). A refusal is a short kInvalidInput "Signature: ..." that cannot echo the input. On success the values
// are well-formed, and writing them with FormatSignatureHeader and parsing again gives the same values.
#include "fuzz_common.hpp"

#include "signing/base64.hpp"
#include "signing/signature_header.hpp"
#include "common/text.hpp"

namespace fuzz_signature_header {

BANKFEED_FUZZ_TARGET(signature_header) {
  using bankfeed::fuzz::Check;
  namespace signing = bankfeed::signing;
  const auto parsed = signing::ParseSignatureHeader(bankfeed::fuzz::AsText(data, size));
  if (!parsed) {
    const std::string& message = parsed.error().message;
    Check(parsed.error().code == bankfeed::ErrorCode::kInvalidInput && message.starts_with("Signature: "));
    Check(message.size() < 100);  // a reason, never a value
    return 0;
  }
  Check(!parsed->key_id.empty() && !parsed->signature.empty() && parsed->signature.size() <= 1024);
  Check(!parsed->headers.empty() && parsed->headers.size() <= signing::kMaxSignedHeaders);
  std::string list;
  for (const std::string& h : parsed->headers) {
    Check(!h.empty() && h == bankfeed::LowerAscii(h));
    list += list.empty() ? "" : " ";
    list += h;
  }
  Check(!parsed->created || !parsed->expires || *parsed->created <= *parsed->expires);

  const std::string algorithm = parsed->algorithm.empty() ? "rsa-sha256" : parsed->algorithm;
  const auto header =
      signing::FormatSignatureHeader(parsed->key_id, algorithm, list, signing::Base64Encode(parsed->signature));
  // The writer refuses control characters (a tab may sit in a received quoted string); escaping can also push a
  // long header past the parser's size limit.
  if (!header || header->size() > signing::kMaxSignatureHeaderSize) return 0;
  const auto again = signing::ParseSignatureHeader(*header);
  Check(again.has_value() && again->key_id == parsed->key_id && again->algorithm == algorithm &&
        again->headers == parsed->headers && again->signature == parsed->signature);
  return 0;
}

}  // namespace fuzz_signature_header
