// Writing a small private file (keys, registrations) so that a crash leaves the old file or the new one, never a
// torn one, and no one else may read it: a 0600 temporary file beside it, synced, renamed over it, the directory
// synced.
#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace bankfeed {

// The reason on failure ("cannot write: No space left on device"); the caller adds the path.
tl::expected<void, std::string> ReplaceFile(const std::string& path, std::string_view text);

// strerror for `err`, thread-safe.
std::string ErrnoText(int err);

}  // namespace bankfeed
