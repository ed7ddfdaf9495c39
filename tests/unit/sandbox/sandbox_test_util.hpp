// Shared set-up for the sandbox tests: scenario text, the test PKI, an in-process sandbox on 127.0.0.1 port 0, and
// bankfeed's own HTTPS client signing its requests the Berlin Group way (QWAC for mTLS, QSealC for Cavage).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/transport.hpp"
#include "http/client.hpp"
#include "pki/credentials.hpp"
#include "tools/sandbox/server.hpp"
#include "tools/sandbox/stats.hpp"

namespace bankfeed::sandbox::test {

std::string Pki(const std::string& file);

// A small valid scenario: psu-1 owns acc-1 (EUR, booked rows t1..t4 incl. real twins t3/t4, pending p1 that books
// on 2025-01-05 as p1b with another amount, pending p2 that stays pending) and acc-2 (EUR, no rows); psu-2 owns
// acc-3 (JPY, one row). `behaviour` is YAML for the behaviour mapping's body, indented by two spaces.
std::string MiniScenario(const std::string& behaviour = "");
// One PSU (psu-1) with one account acc-1 holding `rows` booked rows, one per day back from 2025-01-31.
std::string ManyRowsScenario(int rows, const std::string& behaviour);

Scenario ParseOrDie(const std::string& yaml);

enum class Identity { kQwac, kNone, kOtherCa };
enum class Signing { kSigned, kUnsigned };

// An in-process sandbox with a client.
class Bank {
 public:
  // Fails the test (returns nullptr) if the scenario or the server does not start.
  static std::unique_ptr<Bank> Start(const std::string& scenario_yaml, std::optional<Date> today = std::nullopt,
                                     uint64_t seed = 0);

  http::Response Send(const std::string& method, const std::string& target, std::vector<http::Header> headers = {},
                      const std::string& body = "", Signing signing = Signing::kSigned,
                      Identity identity = Identity::kQwac);
  // The raw attempt, for transport failures (reset, truncation).
  http::Attempt Try(const std::string& method, const std::string& target, std::vector<http::Header> headers = {},
                    const std::string& body = "", Signing signing = Signing::kSigned,
                    Identity identity = Identity::kQwac);
  // Adds Digest, Signature and TPP-Signature-Certificate for the QSealC (X-Request-ID is added first if missing).
  void Sign(http::Request& request) const;

  // A consent over all of psu's accounts, approved through the redirect page (or decoupled polling when the bank
  // offers only that). Returns the consent id; fails the test on any unexpected answer.
  std::string ValidConsent(const std::string& psu = "psu-1");

  SandboxServer& server() { return *server_; }
  const Stats& stats() const { return server_->stats(); }
  std::string Url(const std::string& target) const { return server_->BaseUrl() + target; }

 private:
  http::Client& ClientFor(Identity identity);

  std::unique_ptr<SandboxServer> server_;
  std::unique_ptr<http::Client> qwac_, anonymous_, other_ca_;
  std::optional<pki::Credential> qseal_;
};

// JSON helpers over simdjson's DOM: the value at an RFC 6901 pointer, "" / -1 when absent or of another type.
std::string JsonString(const std::string& json, const std::string& pointer);
int64_t JsonInt(const std::string& json, const std::string& pointer);
size_t JsonArraySize(const std::string& json, const std::string& pointer);  // 0 when absent
bool JsonHas(const std::string& json, const std::string& pointer);
std::string JsonRaw(const std::string& json, const std::string& pointer);  // minified value, "" when absent
// A response header's value, "" when absent.
std::string Header(const http::Response& response, std::string_view name);
// The tppMessages[0].code of a Berlin Group error body.
std::string ErrorCode(const http::Response& response);

std::string ConsentBody(const std::string& access_json = R"({"allPsd2":"allAccounts"})", int frequency = 4,
                        const std::string& valid_until = "2025-12-31");

}  // namespace bankfeed::sandbox::test
