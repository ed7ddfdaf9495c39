// `bankfeed register --bank ID --ssa FILE`: dynamic client registration at a bank that issues client ids (UK Open
// Banking). The registration is kept in the configuration's registrations_dir, where the bank's connections find
// their client id; --update replaces its metadata at the bank, --delete ends it.
#include <cctype>
#include <fstream>
#include <sstream>

#include "bankfeed/client.hpp"
#include "bankfeed/registration.hpp"
#include "tools/bankfeed/commands.hpp"
#include "tools/bankfeed/io.hpp"

namespace bankfeed::cli {
namespace {

struct RegisterArgs {
  std::string config;
  std::string bank;
  std::string ssa_file;
  std::vector<std::string> redirect_uris;
  bool update = false;
  bool remove = false;
};

int RunRegister(const RegisterArgs& args) {
  auto config = LoadClientConfig(args.config);
  if (!config) return (PrintError(config.error().ToString()), ExitCodeFor(config.error()));
  BankConnections banks(*config);
  auto connection = banks.ConnectionFor(args.bank);
  if (!connection) return (PrintError(connection.error().ToString()), ExitCodeFor(connection.error()));
  if ((args.update || args.remove) && connection->oauth_client_id.empty()) {
    PrintError("bank " + args.bank + ": not registered (no client id in the configuration or its registrations)");
    return kExitUsage;
  }
  auto registrar = MakeClientRegistrar(*connection);
  if (!registrar) return (PrintError(registrar.error().ToString()), ExitCodeFor(registrar.error()));
  if (args.remove) {
    if (auto done = (*registrar)->Delete(); !done) {
      return (PrintError(done.error().ToString()), ExitCodeFor(done.error()));
    }
    if (auto removed = RemoveRegistration(*config, args.bank); !removed) {
      return (PrintError(removed.error().ToString()), ExitCodeFor(removed.error()));
    }
    return WriteStdout("registration at " + args.bank + " deleted\n") ? kExitOk : kExitIoErr;
  }
  if (args.ssa_file.empty()) return (PrintError("--ssa: required to register or update"), kExitUsage);
  std::ifstream in(args.ssa_file, std::ios::binary);
  if (!in) return (PrintError("--ssa: cannot read " + args.ssa_file), kExitNoInput);
  std::ostringstream text;
  text << in.rdbuf();
  ClientRegistrationRequest request;
  request.software_statement = text.str();
  std::string& ssa = request.software_statement;
  while (!ssa.empty() && std::isspace(static_cast<unsigned char>(ssa.back()))) ssa.pop_back();
  request.redirect_uris = args.redirect_uris;
  if (request.redirect_uris.empty() && !config->redirect_uri.empty()) request.redirect_uris = {config->redirect_uri};
  if (request.redirect_uris.empty()) {
    return (PrintError("--redirect-uri: none, and tpp.redirect_uri is not set"), kExitUsage);
  }
  auto registration = args.update ? (*registrar)->Update(request) : (*registrar)->Register(request);
  if (!registration) return (PrintError(registration.error().ToString()), ExitCodeFor(registration.error()));
  if (auto saved = SaveRegistration(*config, args.bank, *registration); !saved) {
    PrintError(saved.error().ToString());
    PrintError("the bank registered client id " + registration->client_id + ": keep it in banks." + args.bank +
               ".oauth_client_id");
    return ExitCodeFor(saved.error());
  }
  return WriteStdout("registered at " + args.bank + ": client id " + registration->client_id + "\n") ? kExitOk
                                                                                                      : kExitIoErr;
}

}  // namespace

void AddRegisterCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RegisterArgs>();
  CLI::App* cmd = app.add_subcommand("register", "Register as a client at a bank that issues client ids (UK DCR)");
  cmd->add_option("--config", args->config, "Client configuration (bankfeed.yaml)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--bank", args->bank, "Bank profile id")->required();
  cmd->add_option("--ssa", args->ssa_file, "The software statement assertion (a JWT) from the TPP's directory");
  cmd->add_option("--redirect-uri", args->redirect_uris, "Redirect URIs to register (default: tpp.redirect_uri)");
  auto* update = cmd->add_flag("--update", args->update, "Replace the registration's metadata at the bank");
  cmd->add_flag("--delete", args->remove, "End the registration at the bank")->excludes(update);
  cmd->callback([args, &exit_code] { exit_code = RunRegister(*args); });
}

}  // namespace bankfeed::cli
