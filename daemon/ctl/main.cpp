// bankfeedctl: a small client of bankfeedd's API (bankfeed/v1), for operators and the demo. It is also an example of
// a generated client: any language's gRPC tooling works the same way (or use reflection, e.g. grpcurl).
//
//   export BANKFEED_TOKEN=...                       # the tenant's bearer token (or --token-file)
//   bankfeedctl --socket /run/bankfeed/bankfeedd.sock consent-start --bank sandbox-alpha --psu psu-1
//   bankfeedctl --socket ... consent-complete --consent cg_... --callback 'https://tpp.example/cb?...'
//   bankfeedctl --socket ... consent-reauth --consent cg_... --psu-ip 192.0.2.10   # UK: every 90 days; then complete
//   bankfeedctl --socket ... sync --customer cu_...
//   bankfeedctl --socket ... feed --all             # CSV: seq,kind,customer,account,transaction,pending,...
//   bankfeedctl --socket ... health
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bankfeed/v1/accounts.grpc.pb.h"
#include "bankfeed/v1/admin.grpc.pb.h"
#include "bankfeed/v1/consents.grpc.pb.h"
#include "bankfeed/v1/feed.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace {

namespace v1 = bankfeed::v1;

struct Args {
  std::string socket, address, ca, cert, key, token_file;
  std::string bank, psu, psu_ip, approach, valid_until, consent, callback, customer, account, cursor;
  int page_size = 1000;
  bool all = false, force = false, refresh = false;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::shared_ptr<grpc::Channel> Channel(const Args& a) {
  if (!a.address.empty()) {
    grpc::SslCredentialsOptions tls;
    if (!a.ca.empty()) tls.pem_root_certs = ReadFile(a.ca);
    if (!a.cert.empty()) tls.pem_cert_chain = ReadFile(a.cert);
    if (!a.key.empty()) tls.pem_private_key = ReadFile(a.key);
    return grpc::CreateChannel(a.address, grpc::SslCredentials(tls));
  }
  return grpc::CreateChannel("unix:" + a.socket, grpc::InsecureChannelCredentials());
}

void Authorize(const Args& a, grpc::ClientContext& ctx) {
  std::string token;
  if (!a.token_file.empty()) {
    token = ReadFile(a.token_file);
  } else if (const char* env = std::getenv("BANKFEED_TOKEN")) {
    token = env;
  }
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
}

int Check(const grpc::Status& s) {
  if (s.ok()) return 0;
  static const char* const kNames[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
                                       "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
                                       "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  const auto code = static_cast<size_t>(s.error_code());
  std::cerr << "bankfeedctl: " << (code < std::size(kNames) ? kNames[code] : "UNKNOWN") << ": " << s.error_message()
            << "\n";
  switch (s.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT: return 65;
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED: return 77;
    case grpc::StatusCode::UNAVAILABLE: return 69;
    case grpc::StatusCode::NOT_FOUND: return 66;
    default: return 70;
  }
}

// One unary call of `method` on a generated v1 stub, as the caller (their token); the status as the exit code.
template <class Stub, class Request, class Response>
int Call(const Args& a, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
         const Request& req, Response& res) {
  Stub stub(Channel(a));
  grpc::ClientContext ctx;
  Authorize(a, ctx);
  return Check((stub.*method)(&ctx, req, &res));
}

std::string Csv(std::string_view v) {
  if (v.find_first_of(",\"\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string_view KindName(v1::ChangeKind k) {
  switch (k) {
    case v1::CHANGE_KIND_ADDED: return "added";
    case v1::CHANGE_KIND_MODIFIED: return "modified";
    case v1::CHANGE_KIND_REMOVED: return "removed";
    default: return "unknown";
  }
}

std::string_view StatusName(v1::TransactionStatus s) {
  switch (s) {
    case v1::TRANSACTION_STATUS_BOOKED: return "booked";
    case v1::TRANSACTION_STATUS_PENDING: return "pending";
    case v1::TRANSACTION_STATUS_INFO: return "info";
    default: return "";
  }
}

int Feed(const Args& a) {
  auto stub = v1::Feed::NewStub(Channel(a));
  std::string cursor = a.cursor;
  std::cout << "seq,kind,customer_id,account_id,transaction_id,pending_transaction_id,status,booking_date,value_date,"
               "amount,currency\n";
  for (;;) {
    grpc::ClientContext ctx;
    Authorize(a, ctx);
    v1::SyncRequest req;
    req.set_cursor(cursor);
    req.set_page_size(a.page_size);
    v1::SyncResponse res;
    if (int rc = Check(stub->Sync(&ctx, req, &res))) return rc;
    for (const v1::Change& c : res.changes()) {
      const v1::Transaction& t = c.transaction();
      std::cout << c.sequence() << ',' << KindName(c.kind()) << ',' << c.customer_id() << ',' << c.account_id() << ','
                << c.transaction_id() << ',' << c.pending_transaction_id() << ',' << StatusName(t.status()) << ','
                << t.booking_date() << ',' << t.value_date() << ',' << Csv(t.amount().amount()) << ','
                << t.amount().currency() << '\n';
    }
    cursor = res.next_cursor();
    if (!a.all || !res.has_more()) break;
  }
  std::cerr << "next_cursor: " << cursor << "\n";
  return 0;
}

// consent-start's and consent-reauth's answer: the handles, and where the customer goes next.
void PrintStarted(const v1::StartConsentResponse& res) {
  std::cout << "consent: " << res.consent_id() << "\ncustomer: " << res.customer_id()
            << "\nstatus: " << v1::ConsentStatus_Name(res.status()) << "\n";
  if (!res.sca_url().empty()) std::cout << "sca_url: " << res.sca_url() << "\n";
  if (!res.psu_message().empty()) std::cout << "psu_message: " << res.psu_message() << "\n";
}

std::string_view OutcomeName(v1::SyncOutcome o) {
  return v1::SyncOutcome_Name(o).size() > 13 ? std::string_view(v1::SyncOutcome_Name(o)).substr(13) : "";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bankfeedctl: a client of bankfeedd"};
  Args a;
  app.add_option("--socket", a.socket, "bankfeedd's Unix socket");
  app.add_option("--address", a.address, "host:port of a TLS listener (instead of --socket)");
  app.add_option("--ca", a.ca, "TLS: the daemon's CA");
  app.add_option("--cert", a.cert, "TLS: client certificate (mTLS)");
  app.add_option("--key", a.key, "TLS: client key (mTLS)");
  app.add_option("--token-file", a.token_file, "Bearer token file (default: $BANKFEED_TOKEN)");
  app.require_subcommand(1);
  int rc = 0;
  std::vector<std::pair<CLI::App*, std::function<void()>>> actions;
  const auto on = [&](CLI::App* cmd, std::function<void()> f) { actions.emplace_back(cmd, std::move(f)); };

  auto* health = app.add_subcommand("health", "The standard gRPC health check");
  on(health, [&] {
    auto stub = grpc::health::v1::Health::NewStub(Channel(a));
    grpc::ClientContext ctx;
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse res;
    rc = Check(stub->Check(&ctx, req, &res));
    if (rc == 0) std::cout << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(res.status()) << "\n";
  });

  auto* start = app.add_subcommand("consent-start", "Start a consent; prints consent_id, customer_id, sca_url");
  start->add_option("--bank", a.bank)->required();
  start->add_option("--psu", a.psu)->required();
  start->add_option("--psu-ip", a.psu_ip);
  start->add_option("--approach", a.approach)->check(CLI::IsMember({"redirect", "decoupled", "oauth2"}));
  start->add_option("--valid-until", a.valid_until);
  on(start, [&] {
    v1::StartConsentRequest req;
    req.set_bank_id(a.bank);
    req.set_psu_id(a.psu);
    req.set_psu_ip_address(a.psu_ip);
    req.set_valid_until(a.valid_until);
    if (a.approach == "redirect") req.set_approach(v1::SCA_APPROACH_REDIRECT);
    if (a.approach == "decoupled") req.set_approach(v1::SCA_APPROACH_DECOUPLED);
    if (a.approach == "oauth2") req.set_approach(v1::SCA_APPROACH_OAUTH2);
    v1::StartConsentResponse res;
    rc = Call(a, &v1::Consents::Stub::StartConsent, req, res);
    if (rc == 0) PrintStarted(res);
  });

  auto* complete = app.add_subcommand("consent-complete", "Finish SCA (redirect callback, or wait for decoupled)");
  complete->add_option("--consent", a.consent)->required();
  complete->add_option("--callback", a.callback);
  on(complete, [&] {
    v1::CompleteConsentRequest req;
    req.set_consent_id(a.consent);
    req.set_callback_url(a.callback);
    v1::ConsentState res;
    rc = Call(a, &v1::Consents::Stub::CompleteConsent, req, res);
    if (rc == 0) std::cout << "consent: " << res.consent_id() << "\nstatus: " << v1::ConsentStatus_Name(res.status()) << "\n";
  });

  auto* reauth = app.add_subcommand("consent-reauth", "Authorise a valid consent again under the same id (UK: every "
                                                     "90 days); prints sca_url, then run consent-complete");
  reauth->add_option("--consent", a.consent)->required();
  reauth->add_option("--psu-ip", a.psu_ip);
  on(reauth, [&] {
    v1::ReauthenticateConsentRequest req;
    req.set_consent_id(a.consent);
    req.set_psu_ip_address(a.psu_ip);
    v1::StartConsentResponse res;
    rc = Call(a, &v1::Consents::Stub::ReauthenticateConsent, req, res);
    if (rc == 0) PrintStarted(res);
  });

  auto* sync = app.add_subcommand("sync", "Sync a customer's (or one consent's) accounts now");
  sync->add_option("--customer", a.customer);
  sync->add_option("--consent", a.consent);
  sync->add_flag("--force", a.force);
  on(sync, [&] {
    v1::TriggerSyncRequest req;
    req.set_customer_id(a.customer);
    req.set_consent_id(a.consent);
    req.set_force(a.force);
    v1::TriggerSyncResponse res;
    rc = Call(a, &v1::Admin::Stub::TriggerSync, req, res);
    int added = 0, modified = 0, removed = 0;
    for (const auto& r : res.accounts()) {
      std::cout << r.bank_id() << " " << r.account_id() << ": " << OutcomeName(r.outcome()) << " +" << r.added()
                << " ~" << r.modified() << " -" << r.removed() << (r.error_message().empty() ? "" : ": ")
                << r.error_message() << "\n";
      added += r.added();
      modified += r.modified();
      removed += r.removed();
    }
    if (rc == 0) {
      std::cout << "synced " << res.accounts_size() << " account(s): +" << added << " ~" << modified << " -" << removed
                << "\n";
    }
  });

  auto* feed = app.add_subcommand("feed", "Changes after a cursor, as CSV (the next cursor on stderr)");
  feed->add_option("--cursor", a.cursor);
  feed->add_option("--page-size", a.page_size);
  feed->add_flag("--all", a.all, "Follow has_more to the end");
  on(feed, [&] { rc = Feed(a); });

  auto* status = app.add_subcommand("status", "Each account's last sync, quota left and next run");
  status->add_option("--customer", a.customer);
  on(status, [&] {
    v1::GetSyncStatusRequest req;
    req.set_customer_id(a.customer);
    v1::GetSyncStatusResponse res;
    rc = Call(a, &v1::Admin::Stub::GetSyncStatus, req, res);
    for (const auto& s : res.accounts()) {
      std::cout << s.bank_id() << " " << s.account_id() << ": " << OutcomeName(s.outcome()) << ", quota "
                << s.quota_left() << "/" << s.quota_per_day() << " left today, next run "
                << (s.has_next_run() ? "at " + google::protobuf::util::TimeUtil::ToString(s.next_run()) : "not planned")
                << (s.quarantined() > 0 ? ", " + std::to_string(s.quarantined()) + " row(s) quarantined" : "")
                << (s.reconfirm_by().empty() ? "" : ", reconfirm by " + s.reconfirm_by()) << "\n";
    }
  });

  auto* forget = app.add_subcommand("forget", "Revoke a customer's consents and erase their data");
  forget->add_option("--customer", a.customer);
  forget->add_option("--psu", a.psu);
  on(forget, [&] {
    v1::ForgetRequest req;
    req.set_customer_id(a.customer);
    req.set_psu_id(a.psu);
    v1::ForgetResponse res;
    rc = Call(a, &v1::Admin::Stub::Forget, req, res);
    if (rc == 0) {
      std::cout << "forgot customer " << res.customer_id() << ": " << res.consents() << " consent(s), "
                << res.transactions() << " transaction(s)\n";
    }
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (a.socket.empty() == a.address.empty()) {
    std::cerr << "bankfeedctl: give exactly one of --socket and --address\n";
    return 2;
  }
  for (auto& [cmd, action] : actions) {
    if (cmd->parsed()) action();
  }
  return rc;
}
