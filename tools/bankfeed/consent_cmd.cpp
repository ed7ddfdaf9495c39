// `bankfeed consent start|complete|status|reauth|revoke`: the consent flow from the command line. Grants are kept
// in the encrypted store, under the customer (the PSU id) and an opaque consent handle that `start` prints.
#include <iostream>

#include "common/text.hpp"
#include "bankfeed/bankfeed.hpp"
#include "tools/bankfeed/session.hpp"
#include "tools/bankfeed/commands.hpp"
#include "tools/bankfeed/io.hpp"

namespace bankfeed::cli {
namespace {

struct ConsentArgs {
  std::string config;
  std::string bank;
  std::string psu;
  std::string psu_ip;
  std::string approach;
  std::string scope = "all-accounts";
  std::vector<std::string> ibans;
  std::vector<std::string> without;  // permissions left out: "balances", "transactions", ...
  std::string valid_until;
  int frequency = 4;
  bool one_off = false;
  std::string consent;
  std::string callback;
  bool json = false;
};

PsuContext Psu(const ConsentArgs& args, const ConsentGrant* grant) {
  PsuContext psu;
  psu.psu_id = !args.psu.empty() ? args.psu : (grant ? grant->psu_id : "");
  if (!args.psu_ip.empty()) psu.ip_address = args.psu_ip;
  return psu;
}

void Print(bool json, const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  if (json) {
    out = "{";
    for (const auto& [k, v] : fields) {
      if (out.size() > 1) out += ',';
      AppendJsonString(out, k);
      out += ':';
      AppendJsonString(out, v);
    }
    out += "}\n";
  } else {
    for (const auto& [k, v] : fields) out += k + ": " + v + "\n";
  }
  WriteStdout(out);
}

int Fail(const Error& e) {
  PrintError(e.ToString());
  return ExitCodeFor(e);
}

int RunStart(const ConsentArgs& args) {
  auto session = OpenSession(args.config, args.bank);
  if (!session) return Fail(session.error());
  ConsentRequest request;
  request.scope = ParseConsentScope(args.scope).value_or(ConsentRequest::Scope::kAllAccounts);  // CLI11 checked it
  request.ibans = args.ibans;
  for (const std::string& left_out : args.without) {
    ConsentPermissions& p = request.permissions;
    bool& flag = left_out == "account-details"       ? p.account_details
                 : left_out == "balances"            ? p.balances
                 : left_out == "transactions"        ? p.transactions
                 : left_out == "transaction-details" ? p.transaction_details
                 : left_out == "credits"             ? p.credits
                                                     : p.debits;  // CLI11 checked the word
    flag = false;
  }
  request.frequency_per_day = args.frequency;
  request.recurring = !args.one_off;
  request.redirect_uri = session->config.redirect_uri;
  if (!args.approach.empty()) request.approach = ParseScaApproach(args.approach);
  if (!args.valid_until.empty()) {
    auto date = Date::Parse(args.valid_until);
    if (!date) {
      PrintError("--valid-until: expected YYYY-MM-DD");
      return kExitUsage;
    }
    request.valid_until = *date;
  } else {
    // 90 days from today, the common PSD2 maximum without renewed SCA.
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    request.valid_until = Date{static_cast<int32_t>(now / 86400 + 90)};
  }
  auto store = OpenStore(session->config);
  if (!store) return Fail(store.error());
  ConsentRecord record;
  record.tenant = session->config.tenant;
  record.bank_id = args.bank;
  auto step = session->connector->StartConsent(request, Psu(args, nullptr), record.grant);
  if (!step) return Fail(step.error());
  // Only now, with a consent the bank accepted: a refused start stores nothing about the customer.
  auto customer = (*store)->EnsureCustomer(session->config.tenant, args.psu);
  if (!customer) return Fail(customer.error());
  record.customer_handle = customer->handle;
  auto handle = (*store)->SaveConsent(record);
  if (!handle) return Fail(handle.error());
  const ConsentGrant& grant = record.grant;
  std::vector<std::pair<std::string, std::string>> out = {{"consent", *handle},
                                                          {"bank", grant.bank_id},
                                                          {"approach", std::string(ScaApproachName(step->approach))},
                                                          {"status", std::string(ConsentStatusName(step->status))}};
  if (step->redirect_url) out.emplace_back("sca_url", *step->redirect_url);
  if (step->psu_message) out.emplace_back("psu_message", *step->psu_message);
  Print(args.json, out);
  return kExitOk;
}

// Runs `action` on the stored grant and saves the grant afterwards, whatever the outcome (tokens may have moved).
template <typename F>
int WithGrant(const ConsentArgs& args, F action) {
  auto opened = OpenGrant(args.config, args.consent);
  if (!opened) return Fail(opened.error());
  int code = action(*opened->session.connector, opened->record.grant);
  if (auto saved = opened->store->SaveConsent(opened->record); !saved) return Fail(saved.error());
  return code;
}

int RunComplete(const ConsentArgs& args) {
  return WithGrant(args, [&](Connector& connector, ConsentGrant& grant) {
    auto params = ParseCallbackUrl(args.callback);
    if (!params) return Fail(params.error());
    auto status = connector.CompleteConsent(grant, *params, Psu(args, &grant));
    if (!status) return Fail(status.error());
    Print(args.json, {{"consent", args.consent}, {"status", std::string(ConsentStatusName(*status))}});
    return *status == ConsentStatus::kValid ? kExitOk : kExitTempFail;
  });
}

int RunStatus(const ConsentArgs& args) {
  return WithGrant(args, [&](Connector& connector, ConsentGrant& grant) {
    auto consent = connector.GetConsent(grant);
    if (!consent) return Fail(consent.error());
    std::vector<std::pair<std::string, std::string>> out = {
        {"consent", args.consent},
        {"bank", grant.bank_id},
        {"status", consent->status ? std::string(ConsentStatusName(*consent->status)) : "unknown"}};
    if (consent->valid_until) out.emplace_back("valid_until", consent->valid_until->ToString());
    if (consent->frequency_per_day) out.emplace_back("frequency_per_day", std::to_string(*consent->frequency_per_day));
    if (auto by = ReconfirmBy(grant, connector.profile())) out.emplace_back("reconfirm_by", by->ToString());
    Print(args.json, out);
    return kExitOk;
  });
}

// A new authorisation of a valid consent under the same id (the UK 90-day rule); `complete` finishes it.
int RunReauth(const ConsentArgs& args) {
  return WithGrant(args, [&](Connector& connector, ConsentGrant& grant) {
    if (grant.status != ConsentStatus::kValid) {
      PrintError("consent " + args.consent + ": not valid (" + std::string(ConsentStatusName(grant.status)) +
                 "); start a new one");
      return kExitUsage;
    }
    // Elsewhere a start on a valid grant would replace the bank's consent, not authorise it again.
    if (connector.profile().sca.reconfirm_days <= 0) {
      PrintError("consent " + args.consent + ": bank " + grant.bank_id +
                 " has no reconfirmation rule (sca.reconfirm_days): its consents are not authorised again; start a "
                 "new one");
      return kExitUsage;
    }
    ConsentRequest request = grant.request;
    auto config = LoadClientConfig(args.config);
    if (!config) return Fail(config.error());
    if (!config->redirect_uri.empty()) request.redirect_uri = config->redirect_uri;
    auto step = connector.StartConsent(request, Psu(args, &grant), grant);
    if (!step) return Fail(step.error());
    std::vector<std::pair<std::string, std::string>> out = {{"consent", args.consent},
                                                            {"status", std::string(ConsentStatusName(step->status))}};
    if (step->redirect_url) out.emplace_back("sca_url", *step->redirect_url);
    Print(args.json, out);
    return kExitOk;
  });
}

int RunRevoke(const ConsentArgs& args) {
  return WithGrant(args, [&](Connector& connector, ConsentGrant& grant) {
    auto revoked = connector.RevokeConsent(grant);
    if (!revoked) return Fail(revoked.error());
    Print(args.json, {{"consent", args.consent}, {"status", std::string(ConsentStatusName(grant.status))}});
    return kExitOk;
  });
}

}  // namespace

void AddConsentCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ConsentArgs>();
  CLI::App* consent = app.add_subcommand("consent", "Start, complete, check or revoke a consent at a bank");
  consent->require_subcommand(1);
  auto common = [&](CLI::App* cmd) {
    cmd->add_option("--config", args->config, "Client configuration (bankfeed.yaml)")->required()->check(CLI::ExistingFile);
    cmd->add_flag("--json", args->json, "Machine-readable output");
  };
  CLI::App* start = consent->add_subcommand("start", "Create a consent and start its SCA; prints the consent handle");
  common(start);
  start->add_option("--bank", args->bank, "Bank profile id")->required();
  start->add_option("--psu", args->psu, "The customer's id at the bank (PSU-ID); also the customer in the store")
      ->required();
  start->add_option("--psu-ip", args->psu_ip, "The customer's IP address (they are present)")->check(PsuIpValidator());
  start->add_option("--approach", args->approach, "SCA approach")->check(CLI::IsMember({"redirect", "decoupled", "oauth2"}));
  start->add_option("--scope", args->scope, "Which accounts: all-accounts, accounts-only (the list, nothing read of "
                                            "them) or listed-accounts (--iban); the Berlin Group names all-psd2, "
                                            "available-accounts and dedicated-accounts are accepted too")
      ->check(CLI::IsMember({"all-accounts", "accounts-only", "listed-accounts", "all-psd2", "available-accounts",
                             "dedicated-accounts"}));
  start->add_option("--iban", args->ibans, "An account for listed-accounts (repeatable)");
  start->add_option("--without", args->without, "A permission not to ask for (repeatable)")
      ->check(CLI::IsMember({"account-details", "balances", "transactions", "transaction-details", "credits",
                             "debits"}));
  start->add_option("--valid-until", args->valid_until, "Last day of the consent (YYYY-MM-DD; default today + 90)");
  start->add_option("--frequency", args->frequency, "Unattended reads per account and endpoint per day")
      ->check(CLI::Range(1, 100));
  start->add_flag("--one-off", args->one_off, "A one-off consent (frequency 1)");
  start->callback([args, &exit_code] { exit_code = RunStart(*args); });

  CLI::App* complete = consent->add_subcommand("complete", "Finish SCA: after the redirect, or wait for decoupled");
  common(complete);
  complete->add_option("--consent", args->consent, "Consent handle from start")->required();
  complete->add_option("--callback", args->callback, "The URL (or query) the customer came back with");
  complete->add_option("--psu-ip", args->psu_ip, "The customer's IP address")->check(PsuIpValidator());
  complete->callback([args, &exit_code] { exit_code = RunComplete(*args); });

  CLI::App* status = consent->add_subcommand("status", "Ask the bank for the consent's status");
  common(status);
  status->add_option("--consent", args->consent, "Consent handle")->required();
  status->callback([args, &exit_code] { exit_code = RunStatus(*args); });

  CLI::App* reauth = consent->add_subcommand("reauth", "Authorise a valid consent again under the same id "
                                                      "(UK: every 90 days); prints the SCA URL for `complete`");
  common(reauth);
  reauth->add_option("--consent", args->consent, "Consent handle")->required();
  reauth->add_option("--psu-ip", args->psu_ip, "The customer's IP address (they are present)")->check(PsuIpValidator());
  reauth->callback([args, &exit_code] { exit_code = RunReauth(*args); });

  CLI::App* revoke = consent->add_subcommand("revoke", "Revoke the consent at the bank and drop its tokens");
  common(revoke);
  revoke->add_option("--consent", args->consent, "Consent handle")->required();
  revoke->callback([args, &exit_code] { exit_code = RunRevoke(*args); });
}

}  // namespace bankfeed::cli
