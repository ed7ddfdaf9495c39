// Which injected fault, if any, a bank API request gets (scenario behaviour.faults; README "Faults").
//
// The plan is consulted once per /v1 request that passed the client-certificate and signature checks. The first
// listed fault whose selector and path match fires; `times` caps how often one entry fires. Link faults
// (next_loop, foreign_next) only match paginated requests, page selectors only pages. Probabilities draw from a
// generator seeded with --seed, so one seed and one request order give the same faults.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>
#include <vector>

#include "tools/sandbox/scenario.hpp"

namespace bankfeed::sandbox {

struct FaultInput {
  int64_t api_index = 0;   // 1-based among all /v1 requests
  std::string_view path;   // the request path, without the query
  std::string_view method;
  int64_t page = 0;        // the page of a transactions query (1-based); 0 for other requests
};

class FaultPlan {
 public:
  FaultPlan(std::vector<FaultSpec> faults, uint64_t seed);
  std::optional<FaultSpec> Select(const FaultInput& input);

 private:
  std::mutex mu_;
  std::vector<FaultSpec> faults_;
  std::vector<int64_t> fired_;
  std::mt19937_64 rng_;
};

}  // namespace bankfeed::sandbox
