// `bankfeed forget --psu ID`: the customer's right to erasure (ForgetCustomer in include/bankfeed/client.hpp says
// how).
#include "bankfeed/bankfeed.hpp"
#include "bankfeed/sync.hpp"
#include "bankfeed/client.hpp"
#include "tools/bankfeed/commands.hpp"
#include "tools/bankfeed/io.hpp"

namespace bankfeed::cli {
namespace {

struct ForgetArgs {
  std::string config;
  std::string psu;
  bool even_if_revoke_fails = false;
  double wait_seconds = 30;  // for a sync or a consent command that holds one of the customer's consents
};

int RunForget(const ForgetArgs& args) {
  auto config = LoadClientConfig(args.config);
  if (!config) return (PrintError(config.error().ToString()), ExitCodeFor(config.error()));
  auto store = OpenStore(*config);
  if (!store) return (PrintError(store.error().ToString()), ExitCodeFor(store.error()));
  auto customer = (*store)->FindCustomer(config->tenant, args.psu);
  if (!customer) return (PrintError(customer.error().ToString()), ExitCodeFor(customer.error()));
  auto outcome = ForgetCustomer(**store, BankConnections(*config).Factory(), config->tenant, customer->handle,
                                args.even_if_revoke_fails,
                                std::chrono::milliseconds(static_cast<int64_t>(args.wait_seconds * 1000)));
  if (!outcome) return (PrintError(outcome.error().ToString()), ExitCodeFor(outcome.error()));
  std::string out;
  for (const ConsentRevocation& c : outcome->consents) {
    if (c.error) PrintError("consent " + c.consent_handle + " at " + c.bank_id + ": not revoked: " + c.error->ToString());
    out += "consent " + c.consent_handle + " at " + c.bank_id + ": " + (c.error ? "not revoked" : "revoked") + "\n";
  }
  if (outcome->stopped_by) {
    PrintError("nothing deleted; try again, or pass --even-if-revoke-fails to delete anyway");
    return ExitCodeFor(*outcome->stopped_by);
  }
  const ForgetReport* report = &*outcome->report;
  out += "forgot customer " + customer->handle + ": " + std::to_string(report->consents) + " consent(s), " +
         std::to_string(report->accounts) + " account(s), " + std::to_string(report->transactions) +
         " transaction(s), " + std::to_string(report->balances) + " balance(s), " + std::to_string(report->changes) +
         " change(s)";
  if (report->quarantined > 0) out += ", " + std::to_string(report->quarantined) + " quarantined row(s)";
  out += "\n";
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
  cmd->add_option("--wait", args->wait_seconds,
                  "Seconds to wait for a sync or consent command that holds one of the customer's consents")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  cmd->callback([args, &exit_code] { exit_code = RunForget(*args); });
}

}  // namespace bankfeed::cli
