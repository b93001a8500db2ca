// options.hpp - the service-auth plugin's `config:` block, read once at init.
//
//   config:
//     protect: ["/api-key/verify"]
//
// The keys are not here: callers and their keys are the host's top-level `inboundKeys:` block,
// checked through InitContext::inboundCaller (the plugin never holds a key).
#pragma once

#include <crow/config.hpp>

#include <string>
#include <vector>

namespace service_auth {

struct Options {
  /// Path prefixes below the base path, matched on whole segments.
  std::vector<std::string> protect = {"/api-key/verify"};

  /// Reads and validates the block. An unknown key (`callers:` included: keys belong in the
  /// top-level inboundKeys:), a prefix that is not a path and an empty `protect` stop start-up
  /// with a ConfigError.
  static Options read(const crow::ConfigNode& config);
};

}  // namespace service_auth
