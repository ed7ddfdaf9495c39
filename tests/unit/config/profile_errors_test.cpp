// Bank profiles that do not load: every class of error is a kConfig error with the exact file, line, column and key.
#include <gtest/gtest.h>

#include <string>

#include "bankfeed/profile.hpp"
#include "tests/unit/config/minimal_profile.hpp"

namespace bankfeed {
namespace {

// Six lines; the cases below add theirs from line 7 or replace one of these.
using config_test::kMinimal;

constexpr char kUkMinimal[] =
    "id: bank-x\n"
    "name: Bank X\n"
    "standard: uk-ob\n"
    "standard_version: \"3.1.10\"\n"
    "base_url: https://ob.bank-x.example/open-banking/v3.1/aisp\n"
    "timezone: Europe/London\n";

// kMinimal with the line that starts with `key:` replaced by `line` (or removed when `line` is empty).
std::string Replace(const std::string& key, const std::string& line) {
  std::string text = kMinimal;
  const size_t at = text.find(key + ":");
  const size_t end = text.find('\n', at) + 1;
  return text.replace(at, end - at, line.empty() ? "" : line + "\n");
}

std::string ErrorOf(const std::string& text, const std::string& source = "banks/bank-x.yaml") {
  const Result<BankProfile> p = ParseBankProfile(text, source);
  if (p) return "<loaded>";
  EXPECT_EQ(p.error().code, ErrorCode::kConfig) << p.error().message;
  return p.error().message;
}

std::string Extra(const std::string& lines) { return ErrorOf(std::string(kMinimal) + lines); }

constexpr char kNoSecrets[] = "secrets never in a profile: use a 0600 file or the environment";

TEST(BankProfileErrors, UnknownKeys) {
  EXPECT_EQ(Extra("quirks:\n  page_capp: 10\n"), "banks/bank-x.yaml:8:3: quirks.page_capp: unknown key");
  EXPECT_EQ(Extra("colour: red\n"), "banks/bank-x.yaml:7:1: colour: unknown key");
  EXPECT_EQ(Extra("signing:\n  cavage:\n    algo: rsa-sha256\n"),
            "banks/bank-x.yaml:9:5: signing.cavage.algo: unknown key");
  EXPECT_EQ(Extra("signing:\n  hmac: {}\n"), "banks/bank-x.yaml:8:3: signing.hmac: unknown key");
  EXPECT_EQ(Extra("transport:\n  verify_peer: false\n"), "banks/bank-x.yaml:8:3: transport.verify_peer: unknown key");
  EXPECT_EQ(Extra("transport:\n  bank_id: other\n"), "banks/bank-x.yaml:8:3: transport.bank_id: unknown key");
  EXPECT_EQ(Extra("retry:\n  attempts: 3\n"), "banks/bank-x.yaml:8:3: retry.attempts: unknown key");
  EXPECT_EQ(Extra("sca:\n  approach: redirect\n"), "banks/bank-x.yaml:8:3: sca.approach: unknown key");
  EXPECT_EQ(Extra("display_name: X\n"), "banks/bank-x.yaml:7:1: display_name: unknown key");
}

TEST(BankProfileErrors, WrongTypes) {
  EXPECT_EQ(Extra("quirks:\n  page_cap: \"ten\"\n"),
            "banks/bank-x.yaml:8:13: quirks.page_cap: expected an integer from 1 to 100000");
  EXPECT_EQ(Extra("quirks:\n  page_cap: 1.5\n"),
            "banks/bank-x.yaml:8:13: quirks.page_cap: expected an integer from 1 to 100000");
  EXPECT_EQ(Extra("quirks:\n  send_date_to: yes\n"),
            "banks/bank-x.yaml:8:17: quirks.send_date_to: expected true or false");
  EXPECT_EQ(Extra("quirks: []\n"), "banks/bank-x.yaml:7:9: quirks: expected a mapping");
  EXPECT_EQ(Extra("sca: redirect\n"), "banks/bank-x.yaml:7:6: sca: expected a mapping");
  EXPECT_EQ(Extra("sca:\n  approaches: redirect\n"),
            "banks/bank-x.yaml:8:15: sca.approaches: expected a list of approaches (redirect, decoupled, oauth2)");
  EXPECT_EQ(ErrorOf(Replace("name", "name: [Bank, X]")), "banks/bank-x.yaml:2:7: name: expected a string");
  EXPECT_EQ(Extra("signing:\n  cavage:\n    headers: digest\n"),
            "banks/bank-x.yaml:9:14: signing.cavage.headers: expected a list of strings");
  EXPECT_EQ(Extra("quirks:\n  extra_headers: [X-A]\n"),
            "banks/bank-x.yaml:8:18: quirks.extra_headers: expected a mapping of header names to values");
  EXPECT_EQ(Extra("quirks:\n  psu_id: sometimes\n"),
            "banks/bank-x.yaml:8:11: quirks.psu_id: expected one of optional, required, forbidden");
  EXPECT_EQ(Extra("signing:\n  cavage:\n    digest: SHA-256\n"),
            "banks/bank-x.yaml:9:13: signing.cavage.digest: expected one of sha-256, sha-512");
  EXPECT_EQ(ErrorOf("- just\n- a list\n"), "banks/bank-x.yaml:1:1: expected a mapping");
}

TEST(BankProfileErrors, NumbersOutOfRange) {
  EXPECT_EQ(Extra("quirks:\n  page_cap: 0\n"),
            "banks/bank-x.yaml:8:13: quirks.page_cap: expected an integer from 1 to 100000");
  EXPECT_EQ(Extra("quirks:\n  max_history_days: 36501\n"),
            "banks/bank-x.yaml:8:21: quirks.max_history_days: expected an integer from 1 to 36500");
  EXPECT_EQ(Extra("transport:\n  max_redirects: 11\n"),
            "banks/bank-x.yaml:8:18: transport.max_redirects: expected an integer from 0 to 10");
  EXPECT_EQ(Extra("transport:\n  max_response_bytes: 100\n"),
            "banks/bank-x.yaml:8:23: transport.max_response_bytes: expected an integer from 1024 to 1073741824");
  EXPECT_EQ(Extra("retry:\n  max_attempts: 0\n"),
            "banks/bank-x.yaml:8:17: retry.max_attempts: expected an integer from 1 to 10");
  EXPECT_EQ(Extra("sca:\n  decoupled_poll_interval_s: -1\n"),
            "banks/bank-x.yaml:8:30: sca.decoupled_poll_interval_s: expected an integer from 1 to 60");
  EXPECT_EQ(Extra("transport:\n  connect_timeout_ms: 0x10\n"),
            "banks/bank-x.yaml:8:23: transport.connect_timeout_ms: expected an integer from 1 to 600000");
}

TEST(BankProfileErrors, ValuesThatContradictEachOther) {
  EXPECT_EQ(Extra("transport:\n  connect_timeout_ms: 5000\n  total_timeout_ms: 4000\n"),
            "banks/bank-x.yaml:9:21: transport.total_timeout_ms: must not be less than transport.connect_timeout_ms");
  // Only the other key in the file: reported at that one.
  EXPECT_EQ(Extra("transport:\n  connect_timeout_ms: 70000\n"),
            "banks/bank-x.yaml:8:23: transport.total_timeout_ms: must not be less than transport.connect_timeout_ms");
  EXPECT_EQ(Extra("transport:\n  max_connections_per_host: 20\n"),
            "banks/bank-x.yaml:8:29: transport.max_connections: must not be less than "
            "transport.max_connections_per_host");
  EXPECT_EQ(Extra("retry:\n  base_delay_ms: 2000\n  max_delay_ms: 1000\n"),
            "banks/bank-x.yaml:9:17: retry.max_delay_ms: must not be less than retry.base_delay_ms");
  EXPECT_EQ(Extra("sca:\n  decoupled_poll_interval_s: 30\n  decoupled_timeout_s: 20\n"),
            "banks/bank-x.yaml:9:24: sca.decoupled_timeout_s: must not be less than sca.decoupled_poll_interval_s");
  EXPECT_EQ(Extra("quirks:\n  psu_id: forbidden\n  psu_id_type: retail\n"),
            "banks/bank-x.yaml:9:16: quirks.psu_id_type: set, but quirks.psu_id is forbidden");
}

TEST(BankProfileErrors, RequiredKeys) {
  EXPECT_EQ(ErrorOf(Replace("id", "")), "banks/bank-x.yaml:1:1: id: missing");
  EXPECT_EQ(ErrorOf(Replace("name", "")), "banks/bank-x.yaml:1:1: name: missing");
  EXPECT_EQ(ErrorOf(Replace("standard", "")), "banks/bank-x.yaml:1:1: standard: missing");
  EXPECT_EQ(ErrorOf(Replace("standard_version", "")), "banks/bank-x.yaml:1:1: standard_version: missing");
  EXPECT_EQ(ErrorOf(Replace("base_url", "")), "banks/bank-x.yaml:1:1: base_url: missing");
  EXPECT_EQ(ErrorOf(Replace("timezone", "")), "banks/bank-x.yaml:1:1: timezone: missing");
  EXPECT_EQ(ErrorOf(""), "banks/bank-x.yaml: id: missing");
  EXPECT_EQ(ErrorOf(Replace("name", "name: \"\"")), "banks/bank-x.yaml:2:7: name: empty");
}

TEST(BankProfileErrors, IdAndFileName) {
  EXPECT_EQ(ErrorOf(Replace("id", "id: Bank_X")),
            "banks/bank-x.yaml:1:5: id: expected lower-case letters, digits and '-' (at most 64 characters)");
  EXPECT_EQ(ErrorOf(kMinimal, "banks/bank-y.yaml"),
            "banks/bank-y.yaml:1:5: id: must equal the file name without .yaml (\"bank-y\")");
  EXPECT_EQ(ErrorOf(kMinimal, "banks/bank-x.yml"), "banks/bank-x.yml: a bank profile's file name must end in .yaml");
  EXPECT_EQ(ErrorOf(kMinimal, "bank-x.yaml"), "<loaded>");
  EXPECT_EQ(ErrorOf(Replace("name", "name: \"Bank\\tX\"")), "banks/bank-x.yaml:2:7: name: holds a control character");
  EXPECT_EQ(ErrorOf(Replace("name", "name: Société Générale")), "<loaded>");
  EXPECT_EQ(ErrorOf(Replace("standard", "standard: openbanking")),
            "banks/bank-x.yaml:3:11: standard: expected one of berlin-group, uk-ob, stet");
  EXPECT_EQ(ErrorOf(Replace("standard_version", "standard_version: 1.3.x")),
            "banks/bank-x.yaml:4:19: standard_version: expected a version such as 1.3.11 (one to four "
            "dot-separated numbers)");
}

TEST(BankProfileErrors, TimeZone) {
  EXPECT_EQ(ErrorOf(Replace("timezone", "timezone: Europe/Atlantis")),
            "banks/bank-x.yaml:6:11: timezone: not an IANA time zone name such as Europe/Berlin");
  EXPECT_EQ(ErrorOf(Replace("timezone", "timezone: CET+1")),
            "banks/bank-x.yaml:6:11: timezone: not an IANA time zone name such as Europe/Berlin");
}

TEST(BankProfileErrors, BaseUrl) {
  const auto url_error = [](const std::string& url) { return ErrorOf(Replace("base_url", "base_url: " + url)); };
  const std::string at = "banks/bank-x.yaml:5:11: base_url: ";
  EXPECT_EQ(url_error("http://api.bank-x.example/psd2"), at + "must be an https URL (https://host[:port][/path])");
  EXPECT_EQ(url_error("HTTPS://api.bank-x.example"), at + "must be an https URL (https://host[:port][/path])");
  EXPECT_EQ(url_error("https://api.bank-x.example/psd2/"), at + "must not end with '/'");
  EXPECT_EQ(url_error("https://api.bank-x.example/"), at + "must not end with '/'");
  EXPECT_EQ(url_error("https://api.bank-x.example/psd2?x=1"), at + "must not have a query (?...)");
  EXPECT_EQ(url_error("https://api.bank-x.example/psd2#top"), at + "must not have a fragment (#...)");
  EXPECT_EQ(url_error("https:///psd2"), at + "has no host");
  EXPECT_EQ(url_error("https://"), at + "has no host");
  EXPECT_EQ(url_error("https://user:pw@api.bank-x.example"), at + "must not hold a user name or password");
  EXPECT_EQ(url_error("https://api.bank-x.example:0"), at + "has a port that is not a number from 1 to 65535");
  EXPECT_EQ(url_error("https://api.bank-x.example:99999"), at + "has a port that is not a number from 1 to 65535");
  EXPECT_EQ(url_error("\"https://api.bank-x.example:\""), at + "has an empty port");
  EXPECT_EQ(url_error("https://api_bank.example"), at + "has a malformed host");
  EXPECT_EQ(url_error("\"https://api.bank-x.example/a b\""),
            at + "must be printable ASCII without spaces (percent-encode the rest)");
  EXPECT_EQ(url_error("https://api.bank-x.example/a%zz"), at + "has a malformed %-escape");
  EXPECT_EQ(url_error("https://api.bank-x.example/a<b>"), at + "has a character that must be percent-encoded");
  EXPECT_EQ(url_error("https://[::1]:8443/psd2"), "<loaded>");
  EXPECT_EQ(url_error("https://127.0.0.1:8443"), "<loaded>");
  EXPECT_EQ(url_error("https://api.bank-x.example/psd2/v1.3%2Bx"), "<loaded>");
}

TEST(BankProfileErrors, ScaApproaches) {
  EXPECT_EQ(Extra("sca:\n  approaches: []\n"),
            "banks/bank-x.yaml:8:15: sca.approaches: at least one approach is needed");
  EXPECT_EQ(Extra("sca:\n  approaches: [redirect, decoupled, redirect]\n"),
            "banks/bank-x.yaml:8:37: sca.approaches[2]: listed twice");
  EXPECT_EQ(Extra("sca:\n  approaches: [embedded]\n"),
            "banks/bank-x.yaml:8:16: sca.approaches[0]: embedded: not supported by bankfeed");
  EXPECT_EQ(Extra("sca:\n  approaches:\n    - redirect\n    - sms\n"),
            "banks/bank-x.yaml:10:7: sca.approaches[1]: expected one of redirect, decoupled, oauth2");
}

TEST(BankProfileErrors, OAuth2SectionIffListed) {
  EXPECT_EQ(Extra("sca:\n  approaches: [redirect, oauth2]\n"),
            "banks/bank-x.yaml:8:26: oauth2: missing, but sca.approaches lists oauth2");
  EXPECT_EQ(Extra("oauth2:\n  authorization_endpoint: https://a.example/auth\n  token_endpoint: https://a.example/t\n"),
            "banks/bank-x.yaml:8:3: oauth2: set, but sca.approaches does not list oauth2");
  const std::string oauth_sca = "sca: {approaches: [oauth2]}\n";
  EXPECT_EQ(Extra(oauth_sca +
                  "oauth2:\n  authorization_endpoint: http://a.example/auth\n  token_endpoint: https://a.example/t\n"),
            "banks/bank-x.yaml:9:27: oauth2.authorization_endpoint: must be an https URL (https://host[:port][/path])");
  EXPECT_EQ(
      Extra(oauth_sca +
            "oauth2:\n  authorization_endpoint: https://a.example/auth#x\n  token_endpoint: https://a.example/t\n"),
      "banks/bank-x.yaml:9:27: oauth2.authorization_endpoint: must not have a fragment (#...)");
  EXPECT_EQ(Extra(oauth_sca + "oauth2:\n  authorization_endpoint: https://a.example/auth\n"),
            "banks/bank-x.yaml:9:3: oauth2.token_endpoint: missing");
  EXPECT_EQ(Extra(oauth_sca + "oauth2:\n  authorization_endpoint: https://a.example/auth\n"
                              "  token_endpoint: https://a.example/t\n  scope: \"AIS  PIS\"\n"),
            "banks/bank-x.yaml:11:10: oauth2.scope: scope tokens are separated by single spaces");
}

TEST(BankProfileErrors, OpenIdProviderKeys) {
  const std::string oauth_sca = "sca: {approaches: [oauth2]}\n";
  EXPECT_EQ(Extra(oauth_sca + "oauth2:\n  issuer: https://as.example\n  client_auth: private_key_jwt\n"
                              "  optional_id_claims: [nonce, s_hash]\n"
                              "  request_object_lifetime_s: 3600\n"),
            "<loaded>");
  EXPECT_EQ(Extra(oauth_sca + "oauth2:\n  issuer: https://as.example\n  token_endpoint: https://as.example/t\n"),
            "banks/bank-x.yaml:10:19: oauth2.token_endpoint: set, but the issuer's discovery document gives it");
  EXPECT_EQ(Extra(oauth_sca + "oauth2:\n  issuer: http://as.example\n"),
            "banks/bank-x.yaml:9:11: oauth2.issuer: must be an https URL (https://host[:port][/path])");
  EXPECT_EQ(Extra(oauth_sca + "oauth2:\n  issuer: https://as.example\n  client_auth: client_secret_basic\n"),
            "banks/bank-x.yaml:10:16: oauth2.client_auth: expected one of tls_client_auth, private_key_jwt");
  EXPECT_EQ(Extra(oauth_sca + "oauth2:\n  issuer: https://as.example\n  request_object_lifetime_s: 3601\n"),
            "banks/bank-x.yaml:10:30: oauth2.request_object_lifetime_s: expected an integer from 60 to 3600");
  EXPECT_EQ(Extra(oauth_sca + "oauth2:\n  issuer: https://as.example\n  optional_id_claims: [nonce, iss]\n"),
            "banks/bank-x.yaml:10:31: oauth2.optional_id_claims[1]: expected one of nonce, s_hash");
}

TEST(BankProfileErrors, DateQueryFormat) {
  const auto format_error = [](const std::string& format) {
    return Extra("quirks:\n  date_query_format: \"" + format + "\"\n");
  };
  const std::string at = "banks/bank-x.yaml:8:22: quirks.date_query_format: ";
  EXPECT_EQ(format_error("%Y-%m"), at + "must contain each of %Y, %m and %d exactly once");
  EXPECT_EQ(format_error("%Y-%m-%d-%d"), at + "must contain each of %Y, %m and %d exactly once");
  EXPECT_EQ(format_error(""), at + "must contain each of %Y, %m and %d exactly once");
  EXPECT_EQ(format_error("%Y-%m-%dT%H"), at + "the characters between %Y, %m and %d may only be - . / _ ~");
  EXPECT_EQ(format_error("%Y-%m-%d%H"), at + "only %Y, %m and %d may follow a '%'");
  EXPECT_EQ(format_error("%Y %m %d"), at + "the characters between %Y, %m and %d may only be - . / _ ~");
  EXPECT_EQ(format_error("%Y&%m=%d"), at + "the characters between %Y, %m and %d may only be - . / _ ~");
  EXPECT_EQ(format_error("%Y-%m-%d%"), at + "only %Y, %m and %d may follow a '%'");
  EXPECT_EQ(format_error("%Y%m%d"), "<loaded>");
  EXPECT_EQ(format_error("%d/%m/%Y"), "<loaded>");
}

TEST(BankProfileErrors, DateTimeFilterForm) {
  const auto suffix_error = [](const std::string& suffix) {
    return Extra("quirks:\n  date_time_query_suffix: \"" + suffix + "\"\n");
  };
  const std::string at = "banks/bank-x.yaml:8:27: quirks.date_time_query_suffix: ";
  EXPECT_EQ(suffix_error("Z&x=1"),
            at + "expected a zone or fraction such as Z, +00:00 or .000Z (digits and Z + - : . only)");
  EXPECT_EQ(suffix_error("+00:00:00:00:00:00"), at + "longer than 16 characters");
  EXPECT_EQ(suffix_error(".000Z"), "<loaded>");
  EXPECT_EQ(Extra("quirks:\n  date_time_colons: raw\n"),
            "banks/bank-x.yaml:8:21: quirks.date_time_colons: expected one of encoded, literal");
}

TEST(BankProfileErrors, ExtraHeaders) {
  const auto header_error = [](const std::string& line) {
    return Extra("quirks:\n  extra_headers:\n    " + line + "\n");
  };
  EXPECT_EQ(header_error("\"X Bank\": API"),
            "banks/bank-x.yaml:9:5: quirks.extra_headers.X Bank: not an HTTP header name");
  EXPECT_EQ(header_error("Authorization: Basic"),
            "banks/bank-x.yaml:9:5: quirks.extra_headers.Authorization: bankfeed sets this header itself");
  for (const char* own : {"digest", "Signature", "X-Request-ID", "Consent-ID", "PSU-IP-Address", "TPP-Redirect-URI",
                          "Content-Type", "Host", "x-jws-signature", "Date", "Accept", "Connection", "Cookie"}) {
    EXPECT_EQ(header_error(std::string(own) + ": x"),
              "banks/bank-x.yaml:9:5: quirks.extra_headers." + std::string(own) + ": bankfeed sets this header itself");
  }
  EXPECT_EQ(header_error("X-Channel: \"caf\\u00e9\""),
            "banks/bank-x.yaml:9:16: quirks.extra_headers.X-Channel: must be printable ASCII");
  EXPECT_EQ(header_error("X-Channel: \"a\\nb\""),
            "banks/bank-x.yaml:9:16: quirks.extra_headers.X-Channel: must be printable ASCII");
  EXPECT_EQ(header_error("X-Channel: \"\""), "banks/bank-x.yaml:9:16: quirks.extra_headers.X-Channel: empty");
  EXPECT_EQ(header_error("X-Channel: [a]"),
            "banks/bank-x.yaml:9:16: quirks.extra_headers.X-Channel: expected a string");
  EXPECT_EQ(Extra("quirks:\n  extra_headers:\n    X-Channel: API\n    x-channel: WEB\n"),
            "banks/bank-x.yaml:10:5: quirks.extra_headers.x-channel: listed twice (header names ignore case)");
}

TEST(BankProfileErrors, WindowsAndLinkHosts) {
  EXPECT_EQ(Extra("quirks:\n  max_window_days: -1\n"),
            "banks/bank-x.yaml:8:20: quirks.max_window_days: expected an integer from 0 to 36500");
  const auto hosts = [](const std::string& list) { return Extra("quirks:\n  link_hosts: " + list + "\n"); };
  EXPECT_EQ(hosts("[api2.bank-x.example, \"pages.bank-x.example:8443\"]"), "<loaded>");
  const std::string bad_host = "banks/bank-x.yaml:8:15: quirks.link_hosts: expected a lower-case host name, "
                               "optionally with :port (no scheme, no path)";
  EXPECT_EQ(hosts("[\"https://api2.bank-x.example\"]"), "banks/bank-x.yaml:8:15: quirks.link_hosts: expected a port "
                                                          "from 1 to 65535 after ':'");
  EXPECT_EQ(hosts("[api2.bank-x.example/v1]"), bad_host);
  EXPECT_EQ(hosts("[API2.bank-x.example]"), bad_host);
  EXPECT_EQ(hosts("[\"\"]"), bad_host);
  EXPECT_EQ(hosts("[\"api2.bank-x.example:0\"]"),
            "banks/bank-x.yaml:8:15: quirks.link_hosts: expected a port from 1 to 65535 after ':'");
}

TEST(BankProfileErrors, NoSecrets) {
  const std::string secret = std::string(": ") + kNoSecrets;
  EXPECT_EQ(Extra("client_secret: abc\n"), "banks/bank-x.yaml:7:1: client_secret" + secret);
  EXPECT_EQ(Extra("sca: {approaches: [oauth2]}\noauth2:\n  authorization_endpoint: https://a.example/a\n"
                  "  token_endpoint: https://a.example/t\n  client_secret: abc\n"),
            "banks/bank-x.yaml:11:3: oauth2.client_secret" + secret);
  EXPECT_EQ(Extra("signing:\n  cavage:\n    private_key: |\n      -----BEGIN PRIVATE KEY-----\n"),
            "banks/bank-x.yaml:9:5: signing.cavage.private_key" + secret);
  EXPECT_EQ(Extra("transport:\n  proxy:\n    Password: x\n"),
            "banks/bank-x.yaml:9:5: transport.proxy.Password" + secret);
  EXPECT_EQ(Extra("quirks:\n  extra_headers:\n    X-Api-Key: k\n"),
            "banks/bank-x.yaml:9:5: quirks.extra_headers.X-Api-Key" + secret);
  EXPECT_EQ(Extra("quirks:\n  extra_headers:\n    X-Access-Token: t\n"),
            "banks/bank-x.yaml:9:5: quirks.extra_headers.X-Access-Token" + secret);
  EXPECT_EQ(Extra("accounts:\n  - refresh_token: x\n"), "banks/bank-x.yaml:8:5: accounts[0].refresh_token" + secret);
  // The first in the text, before anything else is checked.
  EXPECT_EQ(Extra("bogus: 1\napi-key: x\npassword: y\n"), "banks/bank-x.yaml:8:1: api-key" + secret);
}

TEST(BankProfileErrors, SigningOptionsValidatedAtTheirPlace) {
  EXPECT_EQ(Extra("signing:\n  cavage:\n    algorithm: hmac-sha256\n"),
            "banks/bank-x.yaml:9:16: signing.cavage.algorithm: unsupported (rsa-sha256 or SHA256withRSA)");
  EXPECT_EQ(Extra("signing:\n  cavage:\n    headers: [digest, X-Request-ID]\n"),
            "banks/bank-x.yaml:9:23: signing.cavage.headers[1]: not a lower-case header name or (request-target)");
  EXPECT_EQ(Extra("signing:\n  cavage:\n    headers: []\n"), "banks/bank-x.yaml:9:14: signing.cavage.headers: empty");
  EXPECT_EQ(Extra("signing:\n  cavage:\n    headers_if_present: [psu-id, x-other]\n"),
            "banks/bank-x.yaml:9:34: signing.cavage.headers_if_present[1]: not in cavage.headers");
  // key_id_url is not in the file: the TPP's publication URL (bankfeed.yaml tpp.qseal_url) fills it; a key_id_url
  // that is there is checked at its place.
  EXPECT_EQ(Extra("signing:\n  cavage:\n    key_id_format: url\n"), "<loaded>");
  EXPECT_EQ(Extra("signing:\n  cavage:\n    key_id_format: url\n    key_id_url: ftp://tpp.example/q.pem\n"),
            "banks/bank-x.yaml:10:17: signing.cavage.key_id_url: not an http(s) URL");
  EXPECT_EQ(Extra("signing:\n  cavage:\n    key_id_url: https://tpp.example/c.pem\n"),
            "banks/bank-x.yaml:9:17: signing.cavage.key_id_url: set, but cavage.key_id_format is serial/issuer");
  EXPECT_EQ(ErrorOf(std::string(kUkMinimal) + "signing:\n  jws:\n    kid: k1\n"),
            "banks/bank-x.yaml:9:5: signing.jws.issuer: empty");
  EXPECT_EQ(ErrorOf(std::string(kUkMinimal) + "signing:\n  jws:\n    kid: k1\n    issuer: \"a\\tb\"\n"),
            "banks/bank-x.yaml:10:13: signing.jws.issuer: must be printable ASCII");
  EXPECT_EQ(ErrorOf(std::string(kUkMinimal) + "signing:\n  jws:\n    kid: k1\n    issuer: x\n    form: v3.1.5\n"),
            "banks/bank-x.yaml:11:11: signing.jws.form: expected one of v3.1.4+, v3.1.3-b64-false");
}

TEST(BankProfileErrors, SigningSchemeMatchesTheStandard) {
  EXPECT_EQ(ErrorOf(kUkMinimal), "banks/bank-x.yaml:1:1: signing.jws: missing: uk-ob banks sign with x-jws-signature");
  EXPECT_EQ(ErrorOf(std::string(kUkMinimal) + "signing:\n  cavage: {}\n"),
            "banks/bank-x.yaml:8:11: signing.cavage: set, but uk-ob banks sign with signing.jws");
  EXPECT_EQ(Extra("signing:\n  jws:\n    kid: k1\n    issuer: x\n"),
            "banks/bank-x.yaml:9:5: signing.jws: set, but only uk-ob banks sign with x-jws-signature");
}

TEST(BankProfileErrors, DocumentLevel) {
  EXPECT_EQ(Extra("quirks:\n  page_cap: 5\n  page_cap: 6\n"), "banks/bank-x.yaml:9:3: quirks.page_cap: duplicate key");
  EXPECT_EQ(Extra("name: Again\n"), "banks/bank-x.yaml:7:1: name: duplicate key");
  EXPECT_EQ(Extra("quirks: {page_cap: 5\n"), "banks/bank-x.yaml:8:1: not valid YAML: end of map flow not found");
  EXPECT_EQ(Extra("---\nid: other\n"), "banks/bank-x.yaml:7:1: more than one YAML document");
  EXPECT_EQ(ErrorOf(std::string(kMinimal) + "# " + std::string(1u << 20, 'x') + "\n"),
            "banks/bank-x.yaml: larger than 1048576 bytes");
  EXPECT_EQ(ErrorOf(std::string(kMinimal) + std::string("x: \0\n", 5)), "banks/bank-x.yaml: contains a NUL byte");
  std::string deep = "quirks:\n";
  for (int i = 1; i <= 20; ++i) deep += std::string(2 * static_cast<size_t>(i), ' ') + "k:\n";
  EXPECT_EQ(Extra(deep), "banks/bank-x.yaml:22:31: nested deeper than 16 levels");
}

// STET's quirks: the path segment and its placeholder go together, and each value is checked.
TEST(BankProfileErrors, StetQuirks) {
  const std::string stet =
      "id: bank-x\nname: Banque X\nstandard: stet\nstandard_version: \"1.4.2\"\n"
      "base_url: https://api.banque-x.example/{segment}/v1\ntimezone: Europe/Paris\n";
  EXPECT_EQ(ErrorOf(stet), "banks/bank-x.yaml:5:11: base_url: has {segment}, but quirks.path_segment is not set");
  EXPECT_EQ(ErrorOf(std::string(kMinimal) + "quirks: {path_segment: idf}\n"),
            "banks/bank-x.yaml:7:24: quirks.path_segment: set, but base_url has no {segment}");
  EXPECT_EQ(ErrorOf(stet + "quirks: {path_segment: ../x}\n"),
            "banks/bank-x.yaml:7:24: quirks.path_segment: expected letters, digits and . _ ~ - only (one path "
            "segment)");
  EXPECT_EQ(Extra("quirks: {date_filter: instant}\n"),
            "banks/bank-x.yaml:7:23: quirks.date_filter: expected one of date-time, date");
  EXPECT_EQ(Extra("quirks: {other_status: booked}\n"),
            "banks/bank-x.yaml:7:24: quirks.other_status: expected one of info, pending");
  EXPECT_EQ(Extra("quirks: {history_after_refresh_days: -1}\n"),
            "banks/bank-x.yaml:7:38: quirks.history_after_refresh_days: expected an integer from 0 to 36500");
}

}  // namespace
}  // namespace bankfeed
