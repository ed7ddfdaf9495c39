// `bankfeed sync`: runs the sync engine over the consents in the configured store and prints each account's outcome.
#include <iostream>

#include "bankfeed/bankfeed.hpp"
#include "bankfeed/sync.hpp"
#include "common/text.hpp"
#include "tools/bankfeed/session.hpp"
#include "tools/bankfeed/commands.hpp"
#include "tools/bankfeed/io.hpp"

namespace bankfeed::cli {
namespace {

struct SyncArgs {
  std::string config;
  std::string psu;
  std::string consent;
  std::string account;
  std::string today;
  std::string psu_ip;
  bool refresh_accounts = false;
  bool force = false;
  int parallel = 4;
  int per_bank = 2;
  bool json = false;
};

std::string Line(const AccountSyncResult& r, bool json) {
  std::string out;
  if (json) {
    out = "{\"consent\":";
    AppendJsonString(out, r.consent_handle);
    out += ",\"bank\":";
    AppendJsonString(out, r.bank_id);
    out += ",\"account_id\":";
    AppendJsonString(out, r.account.account_id);
    out += ",\"outcome\":";
    AppendJsonString(out, SyncOutcomeName(r.outcome));
    out += ",\"added\":" + std::to_string(r.added) + ",\"modified\":" + std::to_string(r.modified) +
           ",\"removed\":" + std::to_string(r.removed) + ",\"pages\":" + std::to_string(r.pages) +
           ",\"quarantined\":" + std::to_string(r.quarantined) +
           ",\"skipped\":" + (r.skipped ? "true" : "false") + ",\"retry_at\":";
    if (r.retry_at) {
      AppendJsonString(out, r.retry_at->ToString());
    } else {
      out += "null";
    }
    out += ",\"error\":";
    if (r.error) {
      AppendJsonString(out, r.error->ToString());
    } else {
      out += "null";
    }
    return out + "}\n";
  }
  out = r.bank_id + " " + (r.account.account_id.empty() ? "(consent " + r.consent_handle + ")" : r.account.account_id) +
        ": " + std::string(SyncOutcomeName(r.outcome));
  if (r.outcome == SyncOutcome::kOk) {
    out += " +" + std::to_string(r.added) + " ~" + std::to_string(r.modified) + " -" + std::to_string(r.removed) +
           " (" + std::to_string(r.pages) + " page(s))";
    // Rows the bank sent that could not be normalized: kept in the store and tried again on every sync.
    if (r.quarantined > 0) out += ", " + std::to_string(r.quarantined) + " row(s) quarantined";
  }
  if (r.skipped) out += " (not asked)";
  if (r.retry_at) out += " until " + r.retry_at->ToString();
  if (r.error && r.outcome != SyncOutcome::kOk) out += ": " + r.error->ToString();
  return out + "\n";
}

// 0 when every account synced; 75 when the only failures are temporary (quota, rate limit, bank down); 77 when a
// consent needs renewing; 70 otherwise.
int ExitCodeOf(const SyncReport& report) {
  int code = kExitOk;
  for (const auto& r : report.accounts) {
    switch (r.outcome) {
      case SyncOutcome::kOk:
      case SyncOutcome::kNever:
        break;
      case SyncOutcome::kQuotaExhausted:
      case SyncOutcome::kRateLimited:
      case SyncOutcome::kBankUnavailable:
        if (code == kExitOk) code = kExitTempFail;
        break;
      case SyncOutcome::kNeedsReconsent:
        if (code != kExitSoftware) code = kExitNoPerm;
        break;
      case SyncOutcome::kFailed:
        code = kExitSoftware;
        break;
    }
  }
  return code;
}

int RunSync(const SyncArgs& args) {
  auto env = EnvironmentFor(args.today);
  if (!env) return (PrintError(env.error().message), kExitUsage);
  auto config = LoadClientConfig(args.config);
  if (!config) return (PrintError(config.error().ToString()), ExitCodeFor(config.error()));
  auto store = OpenStore(*config);
  if (!store) return (PrintError(store.error().ToString()), ExitCodeFor(store.error()));

  SyncOptions options;
  options.tenant = config->tenant;
  options.consent_handle = args.consent;
  options.account_id = args.account;
  options.refresh_accounts = args.refresh_accounts;
  options.ignore_retry_at = args.force;
  options.max_parallel = args.parallel;
  options.per_bank_parallel = args.per_bank;
  options.now = env->now;
  if (!args.psu_ip.empty()) options.psu_ip_address = args.psu_ip;
  if (!args.psu.empty()) {
    auto customer = (*store)->FindCustomer(config->tenant, args.psu);
    if (!customer) return (PrintError(customer.error().ToString()), ExitCodeFor(customer.error()));
    options.customer_handle = customer->handle;
  }
  const BankConnections banks(*config);
  SyncEngine engine(**store, banks.Factory(*env));
  auto report = engine.Run(options);
  if (!report) return (PrintError(report.error().ToString()), ExitCodeFor(report.error()));
  std::string out;
  for (const auto& r : report->accounts) out += Line(r, args.json);
  if (!args.json) {
    out += "synced " + std::to_string(report->accounts.size()) + " account(s): +" + std::to_string(report->added()) +
           " ~" + std::to_string(report->modified()) + " -" + std::to_string(report->removed());
    if (report->quarantined() > 0) out += ", " + std::to_string(report->quarantined()) + " row(s) quarantined";
    out += "\n";
  }
  if (!WriteStdout(out)) return kExitSoftware;
  return ExitCodeOf(*report);
}

}  // namespace

void AddSyncCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SyncArgs>();
  CLI::App* cmd = app.add_subcommand("sync", "Sync every consent in the store (or some) into the feed");
  cmd->add_option("--config", args->config, "Client configuration (bankfeed.yaml)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--psu", args->psu, "Only this customer's consents");
  cmd->add_option("--consent", args->consent, "Only this consent");
  cmd->add_option("--account", args->account, "Only this account (acc_...)");
  cmd->add_option("--today", args->today, "Pretend today is this date (for sandbox simulations)");
  cmd->add_option("--psu-ip", args->psu_ip, "The customer is present, at this IP (not counted against the quota)")
      ->check(PsuIpValidator());
  cmd->add_flag("--refresh-accounts", args->refresh_accounts, "List the accounts at the bank again");
  cmd->add_flag("--force", args->force, "Ask the bank even when an account's quota or Retry-After still runs");
  cmd->add_option("--parallel", args->parallel, "Consents synced at once")->check(CLI::Range(1, 64));
  cmd->add_option("--per-bank", args->per_bank, "... of which at most this many at one bank")->check(CLI::Range(1, 64));
  cmd->add_flag("--json", args->json, "One JSON object per account");
  cmd->callback([args, &exit_code] { exit_code = RunSync(*args); });
}

}  // namespace bankfeed::cli
