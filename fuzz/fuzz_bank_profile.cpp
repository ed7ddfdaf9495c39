// Fuzzes bankfeed::ParseBankProfile, the strict reader of specs/banks/<id>.yaml (src/config). Profiles are config,
// not bank data, but they are YAML that people edit and pass around, and yaml-cpp underneath is a recursive parser.
//
// The source name is "<id>.yaml" with the id the input's first "id: " line names, so that a well-formed seed gets
// past the id-equals-file-name check and the fuzzer explores the rest. A refusal is kConfig, starts with the source
// name, and is one printable line of bounded length. An accepted profile holds what the loader promises: an id equal
// to the file stem and to transport.bank_id, an https base URL without a trailing slash, SCA approaches that are
// supported and distinct, an oauth2 section exactly when oauth2 is one of them, signing options that Validate(),
// a well-formed date format, and no header bankfeed sets itself.
#include <algorithm>
#include <string>

#include "bankfeed/profile.hpp"
#include "common/text.hpp"
#include "fuzz_common.hpp"

namespace fuzz_bank_profile {

std::string SourceName(std::string_view input) {
  std::string id = "fuzz";
  const size_t at = input.starts_with("id: ") ? 0 : input.find("\nid: ");
  if (at != std::string_view::npos) {
    const size_t start = input.find("id: ", at) + 4;
    const size_t end = input.find_first_of("\r\n #", start);
    const std::string_view candidate = input.substr(start, end == std::string_view::npos ? end : end - start);
    if (!candidate.empty() && candidate.size() <= 64 && std::all_of(candidate.begin(), candidate.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        })) {
      id = candidate;
    }
  }
  return "banks/" + id + ".yaml";
}

BANKFEED_FUZZ_TARGET(bank_profile) {
  using bankfeed::fuzz::Check;
  const std::string_view input = bankfeed::fuzz::AsText(data, size);
  const std::string source = SourceName(input);
  const auto profile = bankfeed::ParseBankProfile(input, source);
  if (!profile) {
    const std::string& message = profile.error().message;
    Check(profile.error().code == bankfeed::ErrorCode::kConfig);
    Check(message.starts_with(source + ":") && message.size() < 1024);
    Check(bankfeed::IsPrintableAscii(message));
    return 0;
  }
  const bankfeed::BankProfile& p = *profile;
  Check(source == "banks/" + p.id + ".yaml" && p.transport.bank_id == p.id);
  Check(!p.display_name.empty());
  Check(p.base_url.starts_with("https://") && !p.base_url.ends_with('/'));
  Check(p.base_url.find_first_of("?# ") == std::string::npos);

  const auto& approaches = p.sca.approaches;
  Check(!approaches.empty());
  for (size_t i = 0; i < approaches.size(); ++i) {
    Check(approaches[i] != bankfeed::ScaApproach::kEmbedded);
    Check(std::count(approaches.begin(), approaches.end(), approaches[i]) == 1);
  }
  const bool oauth2 =
      std::find(approaches.begin(), approaches.end(), bankfeed::ScaApproach::kOAuth2) != approaches.end();
  Check(oauth2 == p.oauth2.has_value());
  if (p.oauth2) {
    Check(p.oauth2->authorization_endpoint.starts_with("https://") && p.oauth2->token_endpoint.starts_with("https://"));
  }

  {
    // A url keyId without key_id_url (the STET default) is filled from the TPP's configuration (tpp.qseal_url) when
    // the connector is made; the loader checks it as if set, and so does this.
    bankfeed::CavageOptions cavage = p.cavage;
    if (cavage.key_id_format == bankfeed::CavageOptions::KeyIdFormat::kUrl && cavage.key_id_url.empty()) {
      cavage.key_id_url = "https://tpp.example/qseal/";
    }
    Check(cavage.Validate().has_value());
  }
  Check(p.jws.has_value() == (p.standard == bankfeed::Standard::kUkOpenBanking));
  if (p.jws) Check(p.jws->Validate().has_value());

  const std::string& format = p.quirks.date_query_format;
  for (const char* spec : {"%Y", "%m", "%d"}) {
    const size_t first = format.find(spec);
    Check(first != std::string::npos && format.find(spec, first + 1) == std::string::npos);
  }
  for (const auto& [name, value] : p.quirks.extra_headers) {
    Check(bankfeed::IsToken(name) && !value.empty() && bankfeed::IsPrintableAscii(value));
    const std::string lower = bankfeed::LowerAscii(name);
    Check(lower != "authorization" && !lower.starts_with("psu-") && !lower.starts_with("tpp-"));
  }
  Check(p.transport.total_timeout >= p.transport.connect_timeout);
  Check(p.retry.max_delay >= p.retry.base_delay);

  // Deterministic: the same text gives the same profile.
  const auto again = bankfeed::ParseBankProfile(input, source);
  Check(again.has_value() && again->id == p.id && again->quirks.page_cap == p.quirks.page_cap &&
        again->quirks.extra_headers == p.quirks.extra_headers && again->sca.approaches == approaches);
  return 0;
}

}  // namespace fuzz_bank_profile
