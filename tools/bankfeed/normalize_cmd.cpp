// `bankfeed normalize`: one bank response body to canonical JSON Lines (DESIGN.md §4, CANONICAL.md).
// All output is built in memory first, so bad data leaves stdout empty.
#include <memory>
#include <string>

#include "bankfeed/bankfeed.hpp"
#include "tools/bankfeed/commands.hpp"
#include "tools/bankfeed/io.hpp"

namespace bankfeed::cli {
namespace {

struct NormalizeArgs {
  std::string standard;
  std::string kind;
  std::string account_id;
  std::string timezone;
  std::string input = "-";
};

template <typename Record>
std::string ToLines(const std::vector<Record>& records) {
  std::string out;
  out.reserve(records.size() * 512);
  for (const Record& r : records) {
    AppendCanonicalJson(out, r);
    out += '\n';
  }
  return out;
}

int RunNormalize(const NormalizeArgs& args) {
  NormalizeOptions options;
  options.standard = *ParseStandard(args.standard);  // CLI11 already checked the set
  if (!args.account_id.empty()) options.account_id = args.account_id;
  if (!args.timezone.empty()) {
    auto tz = TimeZone::Locate(args.timezone);
    if (!tz) {
      PrintError("--timezone: " + tz.error().message);
      return kExitUsage;
    }
    options.timezone = *tz;
  }
  auto body = ReadInput(args.input);
  if (!body) {
    PrintError(args.input + ": " + body.error().message);
    return kExitNoInput;
  }

  Result<std::string> out = [&]() -> Result<std::string> {
    if (args.kind == "transactions") {
      BANKFEED_ASSIGN_OR_RETURN(auto v, NormalizeTransactions(*body, options));
      return ToLines(v);
    }
    if (args.kind == "accounts") {
      BANKFEED_ASSIGN_OR_RETURN(auto v, NormalizeAccounts(*body, options));
      return ToLines(v);
    }
    if (args.kind == "balances") {
      BANKFEED_ASSIGN_OR_RETURN(auto v, NormalizeBalances(*body, options));
      return ToLines(v);
    }
    BANKFEED_ASSIGN_OR_RETURN(auto c, NormalizeConsent(*body, options));
    return ToLines(std::vector<Consent>{c});
  }();
  if (!out) {
    PrintError(out.error().message);
    return kExitDataErr;
  }
  if (!WriteStdout(*out)) {
    PrintError("cannot write to standard output");
    return 74;  // EX_IOERR
  }
  return kExitOk;
}

}  // namespace

void AddNormalizeCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<NormalizeArgs>();
  CLI::App* cmd = app.add_subcommand("normalize", "Convert one bank response body to canonical JSON Lines");
  cmd->add_option("--standard", args->standard, "The bank's API standard")
      ->required()
      ->check(CLI::IsMember({"berlin-group", "uk-ob", "stet"}));
  cmd->add_option("--kind", args->kind, "What the body holds")
      ->required()
      ->check(CLI::IsMember({"transactions", "accounts", "balances", "consents"}));
  cmd->add_option("--account-id", args->account_id, "Account id stamped on transactions and balances");
  cmd->add_option("--timezone", args->timezone, "IANA zone for date-times without an offset (default UTC)");
  cmd->add_option("input", args->input, "Response body file, or - for standard input")->default_val("-");
  cmd->callback([args, &exit_code] { exit_code = RunNormalize(*args); });
}

}  // namespace bankfeed::cli
