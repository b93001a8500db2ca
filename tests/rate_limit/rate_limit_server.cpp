#include "rate_limit_server.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

namespace rate_limit_test {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

HttpReply parseReply(const std::string& raw) {
  HttpReply reply;
  if (raw.empty()) return reply;  // closed without an answer: status 0
  const size_t headEnd = raw.find("\r\n\r\n");
  if (raw.compare(0, 9, "HTTP/1.1 ") != 0 || headEnd == std::string::npos)
    CPPUNIT_FAIL("not an HTTP response: " + raw.substr(0, 200));
  reply.status = std::stoi(raw.substr(9, 3));
  size_t line = raw.find("\r\n") + 2;
  while (line < headEnd) {
    const size_t end = raw.find("\r\n", line);
    const std::string text = raw.substr(line, end - line);
    const size_t colon = text.find(':');
    if (colon != std::string::npos) {
      std::string value = text.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      reply.headers.emplace_back(lower(text.substr(0, colon)), value);
    }
    line = end + 2;
  }
  reply.body = raw.substr(headEnd + 4);
  return reply;
}

}  // namespace

std::string HttpReply::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

RateLimitServer::RateLimitServer(const ServerConfig& config) {
  std::random_device random;
  dir_ = (std::filesystem::temp_directory_path() / ("crow-rl-" + std::to_string(random()) + std::to_string(random()))).string();
  std::filesystem::create_directories(dir_);
  std::string proxies = "[";
  for (size_t i = 0; i < config.trustedProxies.size(); ++i)
    proxies += (i ? ", \"" : "\"") + config.trustedProxies[i] + "\"";
  proxies += "]";
  const std::string databaseUrl = config.databaseUrl.empty() ? "sqlite://" + dir_ + "/crow.db" : config.databaseUrl;
  std::string yaml =
      "environment: local\n"
      "server:\n  host: 127.0.0.1\n  port: 0\n  shutdownGraceMs: 2000\n  trustedProxies: " + proxies + "\n"
      "baseURL: http://localhost:3000\n"
      "basePath: /api/v1/auth\n"
      "trustedOrigins: http://localhost:3000\n"
      "database:\n  url: \"" + databaseUrl + "\"\n"
      "logging:\n  level: info\n  accessLog: false\n"
      "plugins:\n  - id: rate-limit\n";
  if (!config.pluginConfig.empty()) {
    yaml += "    config:\n";
    size_t start = 0;
    while (start < config.pluginConfig.size()) {
      size_t end = config.pluginConfig.find('\n', start);
      if (end == std::string::npos) end = config.pluginConfig.size();
      yaml += "      " + config.pluginConfig.substr(start, end - start) + "\n";
      start = end + 1;
    }
  }
  const std::string path = dir_ + "/crow-auth.yaml";
  std::ofstream(path) << yaml;
  child_ = std::make_unique<crow_test::ChildProcess>(
      std::vector<std::string>{std::string(CROW_BUILD_DIR) + "/bin/crow-auth", "serve", "--config", path},
      std::vector<std::string>{"BETTER_AUTH_SECRET=test-secret-0123456789abcdef0123456789abcdef"});
  const std::string line = child_->waitForLine("listening on http://", 30000);
  if (line.empty()) CPPUNIT_FAIL("crow-auth serve did not start:\n" + child_->err() + "\nconfig:\n" + yaml);
  const auto colon = line.find(':', line.find("http://") + 7);
  port_ = std::stoi(line.substr(colon + 1));
}

RateLimitServer::~RateLimitServer() {
  try {
    child_->signal(SIGTERM);
    child_->wait(10000);
  } catch (...) {
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

HttpReply RateLimitServer::send(const std::string& method, const std::string& target, const Headers& headers,
                                const std::string& body, const std::string& source) const {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) CPPUNIT_FAIL("socket() failed");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  timeval timeout{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) CPPUNIT_FAIL("cannot bind to " + source);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(static_cast<uint16_t>(port_));
  ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) CPPUNIT_FAIL("cannot connect");

  std::string request = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) request += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST") request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n" + body;
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) CPPUNIT_FAIL("send failed");
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buffer[16384];
  while (true) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    raw.append(buffer, static_cast<size_t>(n));
  }
  return parseReply(raw);
}

HttpReply RateLimitServer::signIn(const Headers& headers, const std::string& source, const std::string& target) const {
  Headers all = headers;
  all.emplace_back("Content-Type", "application/json");
  all.emplace_back("Origin", "http://localhost:3000");
  return send("POST", target, all, R"({"email":"nobody@example.com","password":"wrong-password"})", source);
}

HttpReply RateLimitServer::getSession(const Headers& headers, const std::string& source) const {
  return send("GET", "/api/v1/auth/get-session", headers, {}, source);
}

}  // namespace rate_limit_test
