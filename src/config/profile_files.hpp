// Limits shared by the bank-profile reader (profile.cpp) and the file loader (profile_files.cpp).
#pragma once

#include <cstddef>

namespace bankfeed::config {

inline constexpr size_t kMaxProfileBytes = 1u << 20;  // a larger file is refused before it is parsed

}  // namespace bankfeed::config
