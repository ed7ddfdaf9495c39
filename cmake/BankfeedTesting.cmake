# Helpers that put every test in the suite's environment (tests/support/CMakeLists.txt).
set(BANKFEED_TEST_ENV_DIR ${PROJECT_BINARY_DIR}/test-env)

# bankfeed_gtest(<target> [PREFIX p]): discovers a gtest binary's tests, each requiring the test_env fixture.
function(bankfeed_gtest target)
  cmake_parse_arguments(arg "" "PREFIX" "" ${ARGN})
  target_link_libraries(${target} PRIVATE bankfeed_test_main)
  gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60 TEST_PREFIX "${arg_PREFIX}"
    PROPERTIES FIXTURES_REQUIRED test_env ENVIRONMENT BANKFEED_TEST_ENV=${BANKFEED_TEST_ENV_DIR})
endfunction()

# bankfeed_test_properties(<test>...): the same for tests added with add_test.
function(bankfeed_test_properties)
  foreach(t IN LISTS ARGN)
    set_property(TEST ${t} APPEND PROPERTY FIXTURES_REQUIRED test_env)
    set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT
      BANKFEED_TEST_ENV=${BANKFEED_TEST_ENV_DIR}
      BANKFEED_TEST_PKI=${BANKFEED_TEST_ENV_DIR}/pki
      BANKFEED_LOG_DIR=${BANKFEED_TEST_ENV_DIR}/logs
      BANKFEED_LOG_LEVEL=debug)
  endforeach()
endfunction()
