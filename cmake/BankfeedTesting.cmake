# Helpers that put every test in the suite's environment (tests/support/CMakeLists.txt).
set(BANKFEED_TEST_ENV_DIR ${PROJECT_BINARY_DIR}/test-env)

# bankfeed_gtest(<target> [PREFIX p] [COST c]): discovers a gtest binary's tests, each requiring the test_env
# fixture. A COST makes ctest start them before the tests without one. On a fresh build ctest knows no test's
# duration yet; the slow ones started last would leave one core idle at the end of the run.
function(bankfeed_gtest target)
  cmake_parse_arguments(arg "" "PREFIX;COST" "" ${ARGN})
  target_link_libraries(${target} PRIVATE bankfeed_test_main)
  if(BANKFEED_TESTS_UNOPTIMIZED)
    target_compile_options(${target} PRIVATE -O0)
  endif()
  # The test's own code without the sanitizers (BANKFEED_TESTS_UNSANITIZED): what it calls, the library, the sandbox
  # and the daemon's code, stays instrumented, and the link still brings the sanitizer runtimes.
  if(BANKFEED_TESTS_UNSANITIZED)
    get_target_property(_options ${target} COMPILE_OPTIONS)
    if(_options)
      list(FILTER _options EXCLUDE REGEX "^-f(no-)?sanitize")
      set_property(TARGET ${target} PROPERTY COMPILE_OPTIONS ${_options})
    endif()
  endif()
  set(cost)
  if(arg_COST)
    set(cost COST ${arg_COST})
  endif()
  gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60 TEST_PREFIX "${arg_PREFIX}"
    PROPERTIES FIXTURES_REQUIRED test_env ENVIRONMENT BANKFEED_TEST_ENV=${BANKFEED_TEST_ENV_DIR} ${cost})
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
