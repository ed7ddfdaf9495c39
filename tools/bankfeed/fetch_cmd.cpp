// `bankfeed fetch`: reads accounts, balances and transactions through a consent and prints them, as a readable
// summary or (--json) canonical JSON Lines: {"account": {...}}, {"balance": {...}}, {"transaction": {...}}. A row
// the mapping cannot normalize is left out, and named on stderr by its path and reason (never its values).
#include <chrono>

#include "bankfeed/bankfeed.hpp"
#include "tools/bankfeed/session.hpp"
#include "tools/bankfeed/commands.hpp"
#include "tools/bankfeed/io.hpp"

namespace bankfeed::cli {
namespace {

struct FetchArgs {
  std::string config;
  std::string consent;
  std::string from;
  std::string to;
  std::string psu_ip;
  std::string today;
  int rows = 3;
  bool json = false;
};

std::string Masked(const OptString& iban) {
  if (!iban || iban->size() < 8) return iban ? "****" : "-";
  return iban->substr(0, 4) + " **** " + iban->substr(iban->size() - 4);
}

template <typename Record>
void AppendWrapped(std::string& out, std::string_view kind, const Record& record) {
  out += "{\"";
  out += kind;
  out += "\":";
  AppendCanonicalJson(out, record);
  out += "}\n";
}

void AppendRow(std::string& out, const Transaction& t) {
  const auto& party = t.Counterparty();
  std::string name = party && party->name ? *party->name : "-";
  if (name.size() > 24) name = name.substr(0, 24);
  std::string date = t.booking_date ? t.booking_date->ToString() : t.value_date ? t.value_date->ToString() : "-";
  std::string amount = t.amount.ToString() + " " + std::string(t.amount.currency.code());
  out += "      " + date + "  " + std::string(TransactionStatusName(t.status)) +
         std::string(8 - std::min<size_t>(7, TransactionStatusName(t.status).size()), ' ') +
         std::string(14 - std::min<size_t>(13, amount.size()), ' ') + amount + "  " + name + "\n";
}

int RunFetch(const FetchArgs& args) {
  auto env = EnvironmentFor(args.today);
  if (!env) return (PrintError(env.error().message), kExitUsage);
  auto opened = OpenGrant(args.config, args.consent, *env);
  if (!opened) return (PrintError(opened.error().ToString()), ExitCodeFor(opened.error()));
  Connector& connector = *opened->session.connector;
  ConsentGrant& grant = opened->record.grant;
  PsuContext psu;
  psu.psu_id = grant.psu_id;
  if (!args.psu_ip.empty()) psu.ip_address = args.psu_ip;

  TransactionQuery query;
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                            (env->now ? env->now() : std::chrono::system_clock::now()).time_since_epoch()).count();
  const Date today = connector.profile().timezone.LocalDate(now_s);
  query.date_from = Date{today.days_since_epoch - 90};
  if (!args.from.empty()) {
    auto d = Date::Parse(args.from);
    if (!d) return (PrintError("--from: expected YYYY-MM-DD"), kExitUsage);
    query.date_from = *d;
  }
  if (!args.to.empty()) {
    auto d = Date::Parse(args.to);
    if (!d) return (PrintError("--to: expected YYYY-MM-DD"), kExitUsage);
    query.date_to = *d;
  }

  // Everything is read before anything is printed: an error leaves stdout empty.
  std::string out;
  std::vector<std::string> refused;  // rows the mapping could not normalize: their errors (paths, never values)
  auto run = [&]() -> Status {
    BANKFEED_ASSIGN_OR_RETURN(auto accounts, connector.ListAccounts(grant, psu));
    if (!args.json) out += "bank " + grant.bank_id + ": " + std::to_string(accounts.size()) + " account(s)\n";
    for (const auto& account : accounts) {
      BANKFEED_ASSIGN_OR_RETURN(auto balances, connector.GetBalances(grant, account, psu));
      BANKFEED_ASSIGN_OR_RETURN(auto batch, connector.GetTransactions(grant, account, query, psu));
      for (const RefusedRow& r : batch.refused) {
        refused.push_back("account " + account.resource_id.value_or("-") + ": row refused: " + r.error.ToString());
      }
      if (args.json) {
        AppendWrapped(out, "account", account);
        for (const auto& b : balances) AppendWrapped(out, "balance", b);
        for (const auto& t : batch.transactions) AppendWrapped(out, "transaction", t);
        continue;
      }
      size_t booked = 0, pending = 0;
      for (const auto& t : batch.transactions) (t.status == TransactionStatus::kPending ? pending : booked)++;
      out += "  " + account.resource_id.value_or("-") + "  " + Masked(account.iban) + "  " +
             account.currency.value_or("-") + "  " + account.name.value_or("") + "\n";
      for (const auto& b : balances) {
        out += "    balance " + b.type + " " + b.amount.ToString() + " " + std::string(b.amount.currency.code()) +
               (b.reference_date ? " on " + b.reference_date->ToString() : "") + "\n";
      }
      out += "    transactions " + batch.date_from.ToString() + ".." + batch.date_to.ToString() + ": " +
             std::to_string(booked) + " booked, " + std::to_string(pending) + " pending, " +
             std::to_string(batch.pages) + " page(s)" +
             (batch.refused.empty() ? "" : ", " + std::to_string(batch.refused.size()) + " row(s) refused") + "\n";
      for (size_t i = 0; i < batch.transactions.size() && i < static_cast<size_t>(args.rows); ++i) {
        AppendRow(out, batch.transactions[i]);
      }
    }
    return {};
  };
  Status status = run();
  // The grant's quota counts and tokens moved even when a read failed.
  if (auto saved = opened->store->SaveConsent(opened->record); !saved) {
    return (PrintError(saved.error().ToString()), ExitCodeFor(saved.error()));
  }
  if (!status) return (PrintError(status.error().ToString()), ExitCodeFor(status.error()));
  for (const std::string& line : refused) PrintError(line);
  return WriteStdout(out) ? kExitOk : kExitSoftware;
}

}  // namespace

void AddFetchCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<FetchArgs>();
  CLI::App* cmd = app.add_subcommand("fetch", "Read accounts, balances and transactions through a consent");
  cmd->add_option("--config", args->config, "Client configuration (bankfeed.yaml)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--consent", args->consent, "Consent handle")->required();
  cmd->add_option("--from", args->from, "First booking date (default: 90 days ago)");
  cmd->add_option("--to", args->to, "Last booking date (default: today)");
  cmd->add_option("--psu-ip", args->psu_ip, "The customer is present, at this IP (not counted against the quota)")
      ->check(PsuIpValidator());
  cmd->add_option("--today", args->today, "Pretend today is this date (for sandbox simulations)");
  cmd->add_option("--rows", args->rows, "Transactions shown per account in the summary")->check(CLI::Range(0, 1000));
  cmd->add_flag("--json", args->json, "Canonical JSON Lines instead of a summary");
  cmd->callback([args, &exit_code] { exit_code = RunFetch(*args); });
}

}  // namespace bankfeed::cli
