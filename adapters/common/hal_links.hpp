// adapters/common/hal_links.hpp: the HAL hyperlinks of a response (`_links`), as Berlin Group and STET send them,
// for pagination and the consent flow.
//
// Accepted shapes, at the root or inside `transactions` (where Berlin Group puts the paging links):
//   "_links": {"next": {"href": "..."}, "self": {"href": "..."}}       the spec
//   "_links": {"next": "..."}                                            a bare href
//   "_links": [{"rel": "next", "href": "..."}]                           an array of rel/href objects
//   "_links": [{"next": {"href": "..."}}]                                an array of one-link objects
// When both levels carry the same name, the one inside `transactions` wins. (`templated` is ignored: bankfeed fills no
// URI templates, and STET's links say "templated": false.)
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "adapters/common/ais_reads.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::adapters {

using Links = std::map<std::string, std::string>;  // name ("next", "self", "scaRedirect", ...) → href as sent

// kInvalidInput naming the path ("transactions._links[2].href: expected a string") when a link is malformed; a
// body that is not JSON at all is kInvalidInput too.
Result<Links> ReadLinks(std::string_view body);

// `next` and `self` of ReadLinks, for the page walk.
Result<PageLinks> HalPageLinks(std::string_view body);

}  // namespace bankfeed::adapters
