// Helpers shared by the config suites: a fake environment and a way to capture the one-line error.
#pragma once

#include "config/app_config.hpp"
#include "crow/error.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <optional>
#include <string>

namespace config_test {

using Env = std::map<std::string, std::string>;

inline crow::host::Getenv envFrom(Env vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

inline crow::host::AppConfig load(const std::string& yaml, Env env = {}) {
  return crow::host::loadConfigFromString(yaml, "test.yaml", envFrom(std::move(env)));
}

/// The ConfigError message `action` throws; fails the test when it throws nothing or something else.
template <class Action>
std::string errorOf(Action&& action) {
  try {
    action();
  } catch (const crow::ConfigError& e) {
    std::string message = e.what();
    CPPUNIT_ASSERT_MESSAGE("error is not one line: " + message, message.find('\n') == std::string::npos);
    return message;
  }
  CPPUNIT_FAIL("expected a crow::ConfigError");
  return {};
}

inline std::string loadError(const std::string& yaml, Env env = {}) {
  return errorOf([&] { load(yaml, std::move(env)); });
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace config_test

#define ASSERT_CONTAINS(haystack, needle)                                                               \
  CPPUNIT_ASSERT_MESSAGE(std::string("\"") + (haystack) + "\" does not contain \"" + (needle) + "\"", \
                         config_test::contains((haystack), (needle)))
