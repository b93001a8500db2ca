// Test support for the rate-limit HTTP suites: the real `crow-auth serve` with the plugin loaded
// from its .so, under a config these tests write whole (they need server.trustedProxies, which
// tests/support/served_crow.hpp's fixed server block cannot take), and a raw HTTP/1.1 client that
// can connect from any 127.0.0.0/8 source address and send any request line and headers verbatim.
#pragma once

#include "process.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rate_limit_test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpReply {
  int status = 0;  ///< 0: the server closed the connection without answering
  std::string body;
  Headers headers;  ///< names lower-cased
  /// The first header of that (lower-case) name, or "".
  std::string header(const std::string& name) const;
};

struct ServerConfig {
  /// The plugin's `config:` block, indented as a mapping body (may be empty).
  std::string pluginConfig;
  /// Entries of server.trustedProxies.
  std::vector<std::string> trustedProxies;
  /// Empty: a fresh SQLite file.
  std::string databaseUrl;
};

class RateLimitServer {
 public:
  explicit RateLimitServer(const ServerConfig& config);
  ~RateLimitServer();

  int port() const noexcept { return port_; }
  crow_test::ChildProcess& process() noexcept { return *child_; }

  /// One request on a new connection from `source` (127.0.0.1 by default). `target` is sent as
  /// the request target verbatim (so "//api/v1/auth//sign-in//email" goes out as written).
  HttpReply send(const std::string& method, const std::string& target, const Headers& headers = {},
                 const std::string& body = {}, const std::string& source = "127.0.0.1") const;
  /// POST /api/v1/auth/sign-in/email with a wrong password (401 when not limited).
  HttpReply signIn(const Headers& headers = {}, const std::string& source = "127.0.0.1",
                   const std::string& target = "/api/v1/auth/sign-in/email") const;
  /// GET /api/v1/auth/get-session without a cookie (200 `null` when not limited).
  HttpReply getSession(const Headers& headers = {}, const std::string& source = "127.0.0.1") const;

 private:
  std::string dir_;
  std::unique_ptr<crow_test::ChildProcess> child_;
  int port_ = 0;
};

}  // namespace rate_limit_test
