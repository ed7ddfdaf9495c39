// BANKFEED_FUZZ_TARGET(name) { ... } defines a fuzz target's entry point. It is used inside the target's own
// namespace (fuzz_<name>), so that all the targets can also be compiled into one program.
//
// - With libFuzzer (the `fuzz` preset), each target is its own program and the macro defines the C entry point
//   libFuzzer calls, LLVMFuzzerTestOneInput.
// - Otherwise (BANKFEED_FUZZ_REPLAY_ALL), every target is compiled into one replay program, batched like the rest of
//   the build. Each target registers its entry point under its name, and replay_main.cpp runs the one named on its
//   command line. One program instead of one per target keeps the sanitizer build of `make test` short.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string_view>

namespace bankfeed::fuzz {

using TestOneInput = int (*)(const uint8_t* data, size_t size);

// The targets compiled into this program, by name. A function-local static, so registration from any translation
// unit's static initializers finds it constructed.
inline std::map<std::string_view, TestOneInput>& Targets() {
  static std::map<std::string_view, TestOneInput> targets;
  return targets;
}

inline bool Register(std::string_view name, TestOneInput entry) {
  return Targets().emplace(name, entry).second;
}

}  // namespace bankfeed::fuzz

#if defined(BANKFEED_FUZZ_REPLAY_ALL)
#define BANKFEED_FUZZ_TARGET(name)                                                                  \
  int TestOneInput(const uint8_t* data, size_t size);                                               \
  [[maybe_unused]] const bool kRegistered = ::bankfeed::fuzz::Register(#name, &TestOneInput); \
  int TestOneInput(const uint8_t* data, size_t size)
#else
#define BANKFEED_FUZZ_TARGET(name) extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
#endif
