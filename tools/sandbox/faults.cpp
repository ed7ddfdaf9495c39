#include "tools/sandbox/faults.hpp"

namespace bankfeed::sandbox {

FaultPlan::FaultPlan(std::vector<FaultSpec> faults, uint64_t seed)
    : faults_(std::move(faults)), fired_(faults_.size(), 0), rng_(seed) {}

std::optional<FaultSpec> FaultPlan::Select(const FaultInput& in) {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < faults_.size(); ++i) {
    const FaultSpec& f = faults_[i];
    if (f.times && fired_[i] >= *f.times) continue;
    if (!f.path.empty() && in.path.find(f.path) == std::string_view::npos) continue;
    if (!f.method.empty() && in.method != f.method) continue;
    if (IsLinkFault(f.kind) && in.page == 0) continue;
    bool match = false;
    switch (f.selector) {
      case FaultSpec::Selector::kAlways: match = true; break;
      case FaultSpec::Selector::kRequest: match = in.api_index == f.n; break;
      case FaultSpec::Selector::kEvery: match = in.api_index > 0 && in.api_index % f.n == 0; break;
      case FaultSpec::Selector::kPage: match = in.page == f.n; break;
      case FaultSpec::Selector::kProbability:
        // One draw per eligible entry and request, so the sequence depends only on the seed and the requests.
        match = std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < f.probability;
        break;
    }
    if (!match) continue;
    ++fired_[i];
    return f;
  }
  return std::nullopt;
}

}  // namespace bankfeed::sandbox
