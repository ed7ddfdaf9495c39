// main() for every gtest binary. Under ctest, BANKFEED_TEST_ENV points at the suite's scratch directory made by the
// `test_env` fixture (tests/support/CMakeLists.txt): the test PKI is in <env>/pki, and every process logs at debug
// level into <env>/logs, which the `no_secrets_in_logs` check reads when the suite is done.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (const char* env = std::getenv("BANKFEED_TEST_ENV"); env != nullptr && *env != '\0') {
    const std::string dir(env);
    ::setenv("BANKFEED_TEST_PKI", (dir + "/pki").c_str(), 0);
    ::setenv("BANKFEED_LOG_DIR", (dir + "/logs").c_str(), 0);
    ::setenv("BANKFEED_LOG_LEVEL", "debug", 0);
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
