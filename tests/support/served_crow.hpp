// Test support: the real `crow-auth serve` binary on an ephemeral loopback port, configured by the
// test's YAML, and a small HTTP client with a cookie jar. Plugin suites use it to test what an
// operator would run: the plugin loaded from its .so by the host, through the real config.
#pragma once

#include "process.hpp"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crow_test {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Reply {
  int status = 0;
  std::string body;
  HeaderList headers;  ///< names lower-cased, in arrival order
  /// The first header of that (lower-case) name, or nullptr.
  const std::string* header(std::string_view name) const;
};

/// A temporary directory, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const noexcept { return path_; }
  /// Writes `text` to `name` in the directory and returns the file's path.
  std::string write(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

struct ServeOptions {
  /// YAML appended to the generated base config (server on port 0, baseURL/trustedOrigins for
  /// the chosen port are not known in advance, so the base uses http://localhost:3000 as baseURL
  /// and trusts it). Typically a `plugins:` list; may also set `auth:`, `services:`, ...
  std::string yaml;
  /// The database URL; empty means a fresh SQLite file in the scratch directory.
  std::string databaseUrl = {};
  /// "NAME=value" added to the server's environment.
  std::vector<std::string> env = {};
  /// The secret (BETTER_AUTH_SECRET).
  std::string secret = "test-secret-0123456789abcdef0123456789abcdef";
};

/// Origin the generated config trusts (send it as `Origin` on cookie-carrying POSTs).
inline constexpr const char* kServedOrigin = "http://localhost:3000";

class ServedCrow {
 public:
  /// Starts the server and waits until it listens (fails the test with its stderr otherwise).
  explicit ServedCrow(ServeOptions options);
  ~ServedCrow();

  int port() const noexcept { return port_; }
  /// "/api/v1/auth".
  const std::string& basePath() const noexcept { return basePath_; }
  ChildProcess& process() noexcept { return *child_; }
  const ScratchDir& dir() const noexcept { return dir_; }

  /// One request on a fresh connection. `path` is below the base path unless it starts with "//"
  /// (then it is sent as given, minus one slash). Header values are sent verbatim.
  Reply request(const std::string& method, const std::string& path, const std::string& body = {},
                const HeaderList& headers = {}) const;
  Reply get(const std::string& path, const HeaderList& headers = {}) const { return request("GET", path, {}, headers); }
  /// POST with Content-Type: application/json and Origin: kServedOrigin.
  Reply postJson(const std::string& path, const std::string& json, HeaderList headers = {}) const;

  /// Signs up (POST /sign-up/email) and returns the `better-auth.session_token=...` cookie pair;
  /// fails the test when sign-up does not answer 200.
  std::string signUp(const std::string& email, const std::string& password = "password1234",
                     const std::string& name = "Test User") const;

  /// Sends SIGTERM and waits for the exit (at most `timeoutMs`).
  ProcessResult stop(int timeoutMs = 10000);

 private:
  ScratchDir dir_;
  std::unique_ptr<ChildProcess> child_;
  int port_ = 0;
  std::string basePath_ = "/api/v1/auth";
  bool stopped_ = false;
};

/// The path of the crow-auth executable under test.
std::string crowExecutable();

}  // namespace crow_test
