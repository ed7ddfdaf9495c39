#include "tools/bankfeed/normalize_options.hpp"

#include <optional>

#include "bankfeed/profile.hpp"

namespace bankfeed::cli {

Result<NormalizeOptions> ResolveNormalizeOptions(const NormalizeArgs& args) {
  NormalizeOptions options;
  options.keep_raw_json = false;  // the command prints canonical rows only
  if (args.keep_going && args.kind != "transactions") {
    return MakeError(ErrorCode::kInvalidArgument, "--keep-going: only with --kind transactions");
  }
  std::optional<Standard> standard;
  if (!args.standard.empty()) standard = ParseStandard(args.standard);  // CLI11 already checked the set
  if (!args.profile.empty()) {
    BANKFEED_ASSIGN_OR_RETURN(const BankProfile profile, LoadBankProfile(args.profile));
    if (standard && *standard != profile.standard) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "--standard " + args.standard + " contradicts the profile's standard " +
                           std::string(StandardName(profile.standard)) + " (" + args.profile + ")");
    }
    standard = profile.standard;
    options.quirks = profile.quirks.values;
    options.timezone = profile.timezone;
  }
  if (!standard) return MakeError(ErrorCode::kInvalidArgument, "--standard is required without --profile");
  options.standard = *standard;
  if (!args.timezone.empty()) {  // an explicit --timezone wins over the profile's
    auto tz = TimeZone::Locate(args.timezone);
    if (!tz) return MakeError(ErrorCode::kInvalidArgument, "--timezone: " + tz.error().message);
    options.timezone = *tz;
  }
  if (!args.account_id.empty()) options.account_id = args.account_id;
  if (!args.account_currency.empty()) {
    auto currency = Currency::Parse(args.account_currency);
    if (!currency) return MakeError(ErrorCode::kInvalidArgument, "--account-currency: " + currency.error().message);
    options.account_currency = args.account_currency;
  }
  return options;
}

}  // namespace bankfeed::cli
