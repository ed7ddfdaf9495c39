// Fuzzes adapters::ReadLinks (adapters/common/hal_links.hpp, formerly berlin_group::ReadLinks), which reads the HAL
// `_links` a Berlin Group or STET bank sends (object, bare href, rel/href array, one-link objects; at the root or in
// `transactions`) to follow pagination and the consent flow, and HalPageLinks, its next/self for the page walk.
// Invariants: a refusal is kInvalidInput; every link read has a non-empty name and an href of at most 8192
// characters; HalPageLinks agrees with ReadLinks.
#include "fuzz_common.hpp"

#include "adapters/common/hal_links.hpp"

namespace fuzz_berlin_group_links {

BANKFEED_FUZZ_TARGET(berlin_group_links) {
  using bankfeed::fuzz::Check;
  const std::string_view body = bankfeed::fuzz::AsText(data, size);
  auto links = bankfeed::adapters::ReadLinks(body);
  auto page = bankfeed::adapters::HalPageLinks(body);
  Check(links.has_value() == page.has_value());
  if (!links) {
    Check(links.error().code == bankfeed::ErrorCode::kInvalidInput && !links.error().message.empty());
    Check(page.error().message == links.error().message);
    return 0;
  }
  for (const auto& [name, href] : *links) Check(!name.empty() && !href.empty() && href.size() <= 8192);
  const auto next = links->find("next");
  const auto self = links->find("self");
  Check(next == links->end() ? !page->next.has_value() : page->next == next->second);
  Check(self == links->end() ? !page->self.has_value() : page->self == self->second);
  return 0;
}

}  // namespace fuzz_berlin_group_links
