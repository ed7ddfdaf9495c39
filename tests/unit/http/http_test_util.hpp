// Shared set-up for the transport tests: the generated test PKI and client options against a local server.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "bankfeed/transport.hpp"
#include "support/tls_test_server.hpp"
#include "unit/pki/pki_test_util.hpp"

namespace bankfeed::http::test {

inline std::string Pki(const std::string& file) { return testing::PkiFile(file); }

inline CredentialSource Qwac() {
  CredentialSource c;
  c.certificate_file = Pki("qwac.pem");
  c.key_file = Pki("qwac.key");
  return c;
}

// A client that trusts the test CA and presents the QWAC, with short timeouts.
inline TransportOptions ClientOptions() {
  TransportOptions o;
  o.bank_id = "testbank";
  o.client_identity = Qwac();
  o.ca_bundle_file = Pki("ca.pem");
  o.connect_timeout = std::chrono::milliseconds(2000);
  o.total_timeout = std::chrono::milliseconds(5000);
  return o;
}

// A server with the test CA's localhost certificate that requires a client certificate from the test CA.
inline testing::TlsServerOptions MtlsServer(const std::string& cert = "server") {
  testing::TlsServerOptions o;
  o.cert_file = Pki(cert + ".pem");
  o.key_file = Pki(cert + ".key");
  o.client_ca_file = Pki("ca.pem");
  return o;
}

}  // namespace bankfeed::http::test
