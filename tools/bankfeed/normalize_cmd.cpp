// `bankfeed normalize`: one bank response body to canonical JSON Lines (DESIGN.md §4, CANONICAL.md).
// Transactions stream from the body to stdout as they are read (normalize_stream.hpp); accounts, balances and a
// consent are small and are built in memory first.
#include <unistd.h>

#include <memory>
#include <string>

#include "bankfeed/bankfeed.hpp"
#include "tools/bankfeed/commands.hpp"
#include "tools/bankfeed/io.hpp"
#include "tools/bankfeed/normalize_options.hpp"
#include "tools/bankfeed/normalize_stream.hpp"
#include "tools/bankfeed/padded_input.hpp"

namespace bankfeed::cli {
namespace {

constexpr const char* kFooter = R"(Exit status: 0 ok; 2 usage (also a --standard that contradicts the profile's);
65 bad data (one line on stderr naming the JSON path, never the value); 66 unreadable input (also a file that
another process shortens while it is read); 74 cannot write stdout; 78 a profile that cannot be loaded
(file:line:col on stderr).

Transactions are written as they are read. When a run fails (exit 65, 66 or 74) and stdout is a regular file, the
file is truncated back to the length it had when the run started, so bad data leaves it as it was. On a pipe the
rows already written stay (always whole lines, output goes in 256 KiB blocks): only the exit status says the run
failed.

--keep-going: a transaction row that cannot be normalized is skipped; stdout gets the good rows, stderr one line
per refused row (its path and typed error, never its bytes or values) and a summary line, and the exit status is
0. A body unusable as a whole (a syntax error, a wrong shape) still exits 65.)";

template <typename Record>
std::string ToLines(const std::vector<Record>& records) {
  std::string out;
  for (const Record& r : records) {
    AppendCanonicalJson(out, r);
    out += '\n';
  }
  return out;
}

// Accounts, balances or a consent: small bodies, printed only when the whole body is good.
Result<std::string> SmallBodyLines(const std::string& kind, std::string_view body, const NormalizeOptions& options) {
  if (kind == "accounts") {
    BANKFEED_ASSIGN_OR_RETURN(auto v, NormalizeAccounts(body, options));
    return ToLines(v);
  }
  if (kind == "balances") {
    BANKFEED_ASSIGN_OR_RETURN(auto v, NormalizeBalances(body, options));
    return ToLines(v);
  }
  BANKFEED_ASSIGN_OR_RETURN(auto c, NormalizeConsent(body, options));
  return ToLines(std::vector<Consent>{c});
}

int RunNormalize(const NormalizeArgs& args) {
  Result<NormalizeOptions> options = ResolveNormalizeOptions(args);
  if (!options) {
    const Error& e = options.error();
    PrintError(e.code == ErrorCode::kInvalidArgument ? e.message : e.ToString());
    return ExitCodeFor(e);  // kInvalidArgument: 2 (usage); the profile loader's kConfig: 78
  }
  auto input = PaddedInput::Read(args.input);
  if (!input) {
    PrintError(args.input + ": " + input.error().message);
    return kExitNoInput;
  }
  if (args.kind == "transactions") return StreamTransactions(*input, *options, args.keep_going, STDOUT_FILENO);

  Result<std::string> out = SmallBodyLines(args.kind, input->bytes(), *options);
  if (!out) {
    PrintError(out.error().message);
    return kExitDataErr;
  }
  if (!WriteStdout(*out)) {
    PrintError("cannot write to standard output");
    return kExitIoErr;
  }
  return kExitOk;
}

}  // namespace

void AddNormalizeCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<NormalizeArgs>();
  CLI::App* cmd = app.add_subcommand("normalize", "Convert one bank response body to canonical JSON Lines");
  cmd->add_option("--standard", args->standard, "The bank's API standard (default: the profile's)")
      ->check(CLI::IsMember({"berlin-group", "uk-ob", "stet"}));
  cmd->add_option("--kind", args->kind, "What the body holds")
      ->required()
      ->check(CLI::IsMember({"transactions", "accounts", "balances", "consents"}));
  cmd->add_option("--account-id", args->account_id, "Account id stamped on transactions and balances");
  cmd->add_option("--account-currency", args->account_currency,
                  "The account's currency (ISO 4217), for STET amounts sent without one");
  cmd->add_option("--timezone", args->timezone,
                  "IANA zone for date-times without an offset (default: the profile's, else UTC)");
  cmd->add_option("--profile", args->profile,
                  "Bank profile (specs/banks/*.yaml): its value quirks, time zone and standard apply");
  cmd->add_flag("--keep-going", args->keep_going,
                "Transactions: skip rows that cannot be normalized, one line each on stderr, exit 0");
  cmd->add_option("input", args->input, "Response body file, or - for standard input")->default_val("-");
  cmd->footer(kFooter);
  cmd->callback([args, &exit_code] { exit_code = RunNormalize(*args); });
}

}  // namespace bankfeed::cli
