// bankfeed: the command line. main only parses; each subcommand lives in its own file.
#include <CLI/CLI.hpp>

#include "tools/bankfeed/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"bankfeed: open-banking connector (Berlin Group, UK Open Banking, STET)"};
  app.require_subcommand(1);
  int exit_code = bankfeed::cli::kExitOk;
  bankfeed::cli::AddNormalizeCommand(app, exit_code);
  bankfeed::cli::AddSandboxCommand(app, exit_code);
  bankfeed::cli::AddConsentCommand(app, exit_code);
  bankfeed::cli::AddFetchCommand(app, exit_code);
  bankfeed::cli::AddSyncCommand(app, exit_code);
  bankfeed::cli::AddFeedCommand(app, exit_code);
  bankfeed::cli::AddForgetCommand(app, exit_code);
  bankfeed::cli::AddRegisterCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return bankfeed::cli::kExitUsage;
  }
  return exit_code;
}
