// Integration fixture: an in-process sandbox bank (tools/sandbox) on 127.0.0.1:0 with the test PKI, a
// connector configured against it, and the checks every test ends with: the sandbox saw no request with a bad or
// missing signature and none without a client certificate.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bankfeed/connector.hpp"
#include "bankfeed/store.hpp"
#include "http/client.hpp"
#include "tools/sandbox/server.hpp"
#include "tools/sandbox/stats.hpp"

namespace bankfeed::testing {

inline constexpr char kToday[] = "2025-01-31";
// Where the test TPP publishes its QSealC (the sandbox finds it among its published certificates by fingerprint).
inline constexpr char kQsealUrl[] = "https://tpp.example/qseal/";

// One PSU "psu-1" with one account "acc-1" (EUR), `booked` booked rows and `pending` pending rows in January 2025,
// then `behaviour` (YAML lines, indented by two spaces, under `behaviour:`), for the sandbox module of `standard`.
std::string ScenarioYaml(int booked, int pending, const std::string& behaviour,
                         const std::string& standard = "berlin-group");

// The sandbox's first account (resource id "acc-1"), as the connector is asked for it.
Account Acc1();

class SandboxTest : public ::testing::Test {
 protected:
  void TearDown() override;

  // Starts the bank of the scenario's standard; fails the test on error.
  void StartBank(const std::string& scenario_yaml);
  // A profile matching the sandbox's defaults for the running bank's standard, pointed at it.
  BankProfile Profile() const;
  // The standard of the running bank's scenario.
  const std::string& standard() const { return standard_; }
  std::unique_ptr<Connector> Connect(const BankProfile& profile);
  // The same with the client's clock given (for simulations that move the sandbox's date).
  std::unique_ptr<Connector> Connect(const BankProfile& profile,
                                     std::function<std::chrono::system_clock::time_point()> now);

  // A consent request until 2025-04-30 that sends the customer back to https://tpp.example/callback.
  static ConsentRequest RequestUntilApril();
  // Runs the whole consent flow with `approach` for psu-1 and returns the valid grant.
  ConsentGrant Consent(Connector& connector, ScaApproach approach, int frequency_per_day = 4);
  // Consent() for psu-1 of `tenant` (redirect SCA) with a connector at `now`, saved in `store` as one consent of that
  // customer at profile's bank. Fails the test (ASSERT_NO_FATAL_FAILURE to stop) when the store refuses.
  void SaveConsentOfPsu1(Store& store, const std::string& tenant, const BankProfile& profile,
                         std::function<std::chrono::system_clock::time_point()> now, int frequency_per_day = 4);
  // A banks that issues client ids (UK Open Banking): the client id the connectors use, registered once per bank with
  // a software statement signed by the test QSealC.
  std::string ClientIdFor(const BankProfile& profile);
  // The software statement the test TPP's directory would issue.
  std::string SoftwareStatement() const;
  // The customer's browser: GET without a client certificate; returns the Location of the redirect.
  std::string FollowInBrowser(const std::string& url);

  PsuContext Unattended() const;
  PsuContext Present() const;

  sandbox::SandboxServer& bank() { return *bank_; }
  const sandbox::Stats& stats() { return bank_->stats(); }
  std::string pki_;
  std::vector<std::chrono::milliseconds> sleeps_;  // what the connector asked to sleep (never actually slept)
  std::mutex sleeps_mu_;                           // connectors on several threads (the sync engine) append

 private:
  std::unique_ptr<sandbox::SandboxServer> bank_;
  std::string standard_;
  std::string client_id_;  // registered at the running bank, when its standard registers clients
};

}  // namespace bankfeed::testing
