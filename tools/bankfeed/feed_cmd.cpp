// `bankfeed feed`: prints the feed's changes after a cursor, as JSON Lines or CSV.
//
// JSON Lines: one object per change, {"seq", "change", "customer", "account_id", "transaction_id",
// "pending_transaction_id", "transaction": {canonical transaction} or null}, then a last line
// {"next_cursor": "...", "has_more": bool}. CSV: a header and one row per change; the next cursor goes to stderr as
// "next_cursor: ...". With --all, pages are read until has_more is false.
#include <iostream>

#include "bankfeed/bankfeed.hpp"
#include "bankfeed/feed.hpp"
#include "common/text.hpp"
#include "tools/bankfeed/session.hpp"
#include "tools/bankfeed/commands.hpp"
#include "tools/bankfeed/io.hpp"

namespace bankfeed::cli {
namespace {

struct FeedArgs {
  std::string config;
  std::string cursor;
  size_t limit = 1000;
  std::string format = "jsonl";
  bool all = false;
};

void AppendJsonOrNull(std::string& out, const std::optional<std::string>& v) {
  if (v) {
    AppendJsonString(out, *v);
  } else {
    out += "null";
  }
}

void AppendJsonLine(std::string& out, const FeedEntry& e) {
  out += "{\"seq\":" + std::to_string(e.seq) + ",\"change\":";
  AppendJsonString(out, ChangeKindName(e.kind));
  out += ",\"customer\":";
  AppendJsonString(out, e.customer_handle);
  out += ",\"account_id\":";
  AppendJsonString(out, e.account_id);
  out += ",\"transaction_id\":";
  AppendJsonString(out, e.transaction_id);
  out += ",\"pending_transaction_id\":";
  AppendJsonOrNull(out, e.transaction ? e.transaction->pending_transaction_id : std::nullopt);
  out += ",\"transaction\":";
  if (e.transaction) {
    AppendCanonicalJson(out, e.transaction->transaction);
  } else {
    out += "null";
  }
  out += "}\n";
}

// RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled.
void AppendCsvField(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

constexpr std::string_view kCsvHeader =
    "seq,change,customer,account_id,transaction_id,pending_transaction_id,status,booking_date,value_date,amount,"
    "currency,counterparty_name,counterparty_iban,remittance\n";

void AppendCsvLine(std::string& out, const FeedEntry& e) {
  const Transaction* t = e.transaction ? &e.transaction->transaction : nullptr;
  const auto party = t ? t->Counterparty() : std::nullopt;
  const std::string fields[] = {
      std::to_string(e.seq),
      std::string(ChangeKindName(e.kind)),
      e.customer_handle,
      e.account_id,
      e.transaction_id,
      e.transaction ? e.transaction->pending_transaction_id.value_or("") : "",
      t ? std::string(TransactionStatusName(t->status)) : "",
      t && t->booking_date ? t->booking_date->ToString() : "",
      t && t->value_date ? t->value_date->ToString() : "",
      t ? t->amount.ToString() : "",
      t ? std::string(t->amount.currency.code()) : "",
      party && party->name ? *party->name : "",
      party && party->iban ? *party->iban : "",
      t ? t->remittance.value_or("") : "",
  };
  bool first = true;
  for (const std::string& f : fields) {
    if (!first) out += ',';
    first = false;
    AppendCsvField(out, f);
  }
  out += '\n';
}

int RunFeed(const FeedArgs& args) {
  auto config = LoadClientConfig(args.config);
  if (!config) return (PrintError(config.error().ToString()), ExitCodeFor(config.error()));
  auto store = OpenStore(*config);
  if (!store) return (PrintError(store.error().ToString()), ExitCodeFor(store.error()));
  Feed feed(**store);
  const bool csv = args.format == "csv";
  std::string cursor = args.cursor;
  std::string out = csv ? std::string(kCsvHeader) : "";
  bool has_more = false;
  do {
    auto page = feed.Sync(config->tenant, cursor, args.limit);
    if (!page) return (PrintError(page.error().ToString()), ExitCodeFor(page.error()));
    for (const FeedEntry& e : page->changes) csv ? AppendCsvLine(out, e) : AppendJsonLine(out, e);
    cursor = page->next_cursor;
    has_more = page->has_more;
    if (!WriteStdout(out)) return kExitSoftware;
    out.clear();
  } while (args.all && has_more);
  if (csv) {
    std::cerr << "next_cursor: " << cursor << (has_more ? " (more)" : "") << "\n";
  } else {
    out = "{\"next_cursor\":";
    AppendJsonString(out, cursor);
    out += std::string(",\"has_more\":") + (has_more ? "true" : "false") + "}\n";
    if (!WriteStdout(out)) return kExitSoftware;
  }
  return kExitOk;
}

}  // namespace

void AddFeedCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<FeedArgs>();
  CLI::App* cmd = app.add_subcommand("feed", "Print the feed's changes after a cursor");
  cmd->add_option("--config", args->config, "Client configuration (bankfeed.yaml)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--cursor", args->cursor, "Where the last read ended (default: the start)");
  cmd->add_option("--limit", args->limit, "Changes per page")->check(CLI::Range(size_t{1}, kMaxFeedPage));
  cmd->add_option("--format", args->format, "jsonl or csv")->check(CLI::IsMember({"jsonl", "csv"}));
  cmd->add_flag("--all", args->all, "Read every page up to the end");
  cmd->callback([args, &exit_code] { exit_code = RunFeed(*args); });
}

}  // namespace bankfeed::cli
