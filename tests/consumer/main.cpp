// Uses only installed headers: normalizes a Berlin Group body and checks the canonical amount.
#include <bankfeed/bankfeed.hpp>

#include <iostream>

int main() {
  const std::string body =
      R"({"transactions":{"booked":[{"transactionAmount":{"amount":"-5.5","currency":"EUR"},"bookingDate":"2025-01-02"}]}})";
  bankfeed::NormalizeOptions options;
  options.standard = bankfeed::Standard::kBerlinGroup;
  auto txs = bankfeed::NormalizeTransactions(body, options);
  if (!txs || txs->size() != 1 || txs->front().amount.ToString() != "-5.50") {
    std::cerr << "unexpected result\n";
    return 1;
  }
  std::cout << bankfeed::ToCanonicalJson(txs->front()) << "\n";
  return 0;
}
