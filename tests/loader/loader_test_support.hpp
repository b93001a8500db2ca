// Shared helpers for the loader tests.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

#include <functional>
#include <string>

namespace loader_test {

inline std::string fixture(const std::string& name) { return std::string(CROW_FIXTURE_DIR) + "/" + name + ".so"; }
inline std::string examplePlugin() { return std::string(CROW_BUILD_DIR) + "/lib/crow-auth/plugins/example.so"; }

/// The message of the E that `action` throws; fails the test when it throws nothing or another type.
template <typename E>
std::string messageOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const E& e) {
    return e.what();
  }
  CPPUNIT_FAIL("expected an exception, none was thrown");
  return {};
}

}  // namespace loader_test
