// `bankfeed forget --psu ID`: the customer's right to erasure. Revokes each of the customer's consents at its bank,
// then deletes every row of the customer from the store and purges the freed bytes from disk.
//
// A consent the bank no longer honours (expired, revoked, unknown) needs no revocation. Any other failure to revoke
// stops before anything is deleted (the tokens are still needed to try again), unless --even-if-revoke-fails.
#include "bankfeed/bankfeed.hpp"
#include "bankfeed/sync.hpp"
#include "tools/bankfeed/client_config.hpp"
#include "tools/bankfeed/commands.hpp"
#include "tools/bankfeed/io.hpp"

namespace bankfeed::cli {
namespace {

struct ForgetArgs {
  std::string config;
  std::string psu;
  bool even_if_revoke_fails = false;
};

int RunForget(const ForgetArgs& args) {
  auto config = LoadClientConfig(args.config);
  if (!config) return (PrintError(config.error().ToString()), ExitCodeFor(config.error()));
  auto store = OpenStore(*config);
  if (!store) return (PrintError(store.error().ToString()), ExitCodeFor(store.error()));
  auto customer = (*store)->FindCustomer(config->tenant, args.psu);
  if (!customer) return (PrintError(customer.error().ToString()), ExitCodeFor(customer.error()));
  auto consents = (*store)->ListCustomerConsents(config->tenant, customer->handle);
  if (!consents) return (PrintError(consents.error().ToString()), ExitCodeFor(consents.error()));

  const ConnectorFactory factory = FactoryFor(*config);
  std::string out;
  for (ConsentRecord& record : *consents) {
    const bool live = record.grant.status == ConsentStatus::kValid || record.grant.status == ConsentStatus::kReceived ||
                      record.grant.status == ConsentStatus::kPartiallyAuthorised;
    Status revoked;
    if (live && !record.grant.consent_id.empty()) {
      auto connector = factory(record.bank_id);
      revoked = connector ? (*connector)->RevokeConsent(record.grant) : Status(tl::unexpected(connector.error()));
    }
    if (!revoked && OutcomeFor(revoked.error()) != SyncOutcome::kNeedsReconsent) {
      PrintError("consent " + record.handle + " at " + record.bank_id + ": not revoked: " + revoked.error().ToString());
      if (!args.even_if_revoke_fails) {
        PrintError("nothing deleted; try again, or pass --even-if-revoke-fails to delete anyway");
        return ExitCodeFor(revoked.error());
      }
    }
    out += "consent " + record.handle + " at " + record.bank_id + ": " + (revoked ? "revoked" : "not revoked") + "\n";
  }
  auto report = (*store)->ForgetCustomer(config->tenant, customer->handle);
  if (!report) return (PrintError(report.error().ToString()), ExitCodeFor(report.error()));
  out += "forgot customer " + customer->handle + ": " + std::to_string(report->consents) + " consent(s), " +
         std::to_string(report->accounts) + " account(s), " + std::to_string(report->transactions) +
         " transaction(s), " + std::to_string(report->balances) + " balance(s), " + std::to_string(report->changes) +
         " change(s)\n";
  return WriteStdout(out) ? kExitOk : kExitSoftware;
}

}  // namespace

void AddForgetCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ForgetArgs>();
  CLI::App* cmd = app.add_subcommand("forget", "Revoke a customer's consents and delete all of their data");
  cmd->add_option("--config", args->config, "Client configuration (bankfeed.yaml)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--psu", args->psu, "The customer's PSU id")->required();
  cmd->add_flag("--even-if-revoke-fails", args->even_if_revoke_fails,
                "Delete the data even when a bank could not be told to revoke the consent");
  cmd->callback([args, &exit_code] { exit_code = RunForget(*args); });
}

}  // namespace bankfeed::cli
