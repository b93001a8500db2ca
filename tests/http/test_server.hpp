// Test support: a crow HTTP server on an ephemeral loopback port with a log file to inspect, and
// small HTTP clients (Poco's and raw sockets, for what Poco's client would refuse to send).
#pragma once

#include "server/http_server.hpp"
#include "server/request_hooks.hpp"
#include "server/router.hpp"
#include "util/logger.hpp"

#include <Poco/Net/HTTPClientSession.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crow::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpReply {
  int status = 0;
  std::string body;
  Headers headers;  ///< names lower-cased
  const std::string* header(std::string_view name) const;
  int count(std::string_view name) const;
};

/// A log destination the test can read back (a temporary file).
class LogFile {
 public:
  LogFile();
  ~LogFile();
  int fd() const { return fd_; }
  std::string contents() const;

 private:
  int fd_ = -1;
};

/// Router, hooks, logger and server. Register routes/hooks, then start().
class TestServer {
 public:
  explicit TestServer(host::ServerOptions options = defaults());
  ~TestServer();

  static host::ServerOptions defaults();

  host::Router router;
  host::RequestHooks hooks;
  LogFile log;
  host::StderrLogger logger;
  std::function<bool()> probe = [] { return true; };

  void start();
  void stop();
  int port() const { return server_->port(); }
  host::HttpServer& server() { return *server_; }

 private:
  host::ServerOptions options_;
  std::unique_ptr<host::HttpServer> server_;
};

/// One request over Poco's client. With `session`, reuses that (keep-alive) connection.
HttpReply request(int port, const std::string& method, const std::string& target, const std::string& body = {},
                  const Headers& headers = {}, Poco::Net::HTTPClientSession* session = nullptr);

/// Writes `bytes` to a fresh connection, then reads until the server closes it or `timeoutMs`
/// passes. Returns everything read.
std::string rawExchange(int port, const std::string& bytes, int timeoutMs = 3000);

/// Parses the first HTTP response in `raw` (status, headers, Content-Length body); `rest` gets
/// what follows it.
HttpReply parseReply(const std::string& raw, std::string* rest = nullptr);

}  // namespace crow::test
