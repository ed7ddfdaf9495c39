// Fuzzes berlin_group::ReadLinks, which reads the `_links` a Berlin Group bank sends (object, bare href, rel/href
// array, one-link objects; at the root or in `transactions`) to follow pagination and the consent flow. Invariants:
// a refusal is kInvalidInput; every link read has a non-empty name and an href of at most 8192 characters.
#include "fuzz_common.hpp"

#include "adapters/berlin_group/links.hpp"

namespace fuzz_berlin_group_links {

BANKFEED_FUZZ_TARGET(berlin_group_links) {
  using bankfeed::fuzz::Check;
  auto links = bankfeed::berlin_group::ReadLinks(bankfeed::fuzz::AsText(data, size));
  if (!links) {
    Check(links.error().code == bankfeed::ErrorCode::kInvalidInput && !links.error().message.empty());
    return 0;
  }
  for (const auto& [name, href] : *links) Check(!name.empty() && !href.empty() && href.size() <= 8192);
  return 0;
}

}  // namespace fuzz_berlin_group_links
