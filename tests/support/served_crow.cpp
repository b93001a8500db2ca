#include "served_crow.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cppunit/TestAssert.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <stdlib.h>

namespace crow_test {

namespace fs = std::filesystem;

const std::string* Reply::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return &v;
  return nullptr;
}

ScratchDir::ScratchDir() {
  std::string pattern = (fs::temp_directory_path() / "crow-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) CPPUNIT_FAIL("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string ScratchDir::write(const std::string& name, const std::string& text) const {
  const std::string file = path_ + "/" + name;
  std::ofstream(file) << text;
  return file;
}

std::string crowExecutable() { return std::string(CROW_BUILD_DIR) + "/bin/crow-auth"; }

ServedCrow::ServedCrow(ServeOptions options) {
  const std::string databaseUrl =
      options.databaseUrl.empty() ? "sqlite://" + dir_.path() + "/crow.db" : options.databaseUrl;
  const std::string config =
      "environment: local\n"
      "server:\n  host: 127.0.0.1\n  port: 0\n  shutdownGraceMs: 2000\n"
      "baseURL: " + std::string(kServedOrigin) + "\n"
      "basePath: " + basePath_ + "\n"
      "secret: ${BETTER_AUTH_SECRET}\n"
      "trustedOrigins: " + std::string(kServedOrigin) + "\n"
      "database:\n  url: \"" + databaseUrl + "\"\n"
      "logging:\n  level: info\n  accessLog: false\n" +
      options.yaml;
  const std::string path = dir_.write("crow-auth.yaml", config);
  std::vector<std::string> env = options.env;
  env.push_back("BETTER_AUTH_SECRET=" + options.secret);
  child_ = std::make_unique<ChildProcess>(std::vector<std::string>{crowExecutable(), "serve", "--config", path}, env);
  const std::string line = child_->waitForLine("listening on http://", 30000);
  if (line.empty()) CPPUNIT_FAIL("crow-auth serve did not start:\n" + child_->err() + "\nconfig:\n" + config);
  const auto colon = line.find(':', line.find("http://") + 7);
  port_ = std::stoi(line.substr(colon + 1));
}

ServedCrow::~ServedCrow() {
  if (!stopped_) {
    try {
      stop(5000);
    } catch (...) {
    }
  }
}

ProcessResult ServedCrow::stop(int timeoutMs) {
  stopped_ = true;
  child_->signal(SIGTERM);
  return child_->wait(timeoutMs);
}

Reply ServedCrow::request(const std::string& method, const std::string& path, const std::string& body,
                          const HeaderList& headers) const {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
  session.setTimeout(Poco::Timespan(30, 0));
  const std::string target = path.rfind("//", 0) == 0 ? path.substr(1) : basePath_ + path;
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [k, v] : headers) request.add(k, v);
  if (!body.empty() || method == "POST") request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply reply;
  reply.status = response.getStatus();
  Poco::StreamCopier::copyToString(in, reply.body);
  for (const auto& [k, v] : response) {
    std::string name = k;
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    reply.headers.emplace_back(name, v);
  }
  return reply;
}

Reply ServedCrow::postJson(const std::string& path, const std::string& json, HeaderList headers) const {
  headers.emplace_back("Content-Type", "application/json");
  headers.emplace_back("Origin", kServedOrigin);
  return request("POST", path, json, headers);
}

std::string ServedCrow::signUp(const std::string& email, const std::string& password, const std::string& name) const {
  const Reply reply = postJson("/sign-up/email", "{\"email\":\"" + email + "\",\"password\":\"" + password +
                                                     "\",\"name\":\"" + name + "\"}");
  if (reply.status != 200) CPPUNIT_FAIL("sign-up of " + email + " answered " + std::to_string(reply.status) + ": " + reply.body);
  for (const auto& [k, v] : reply.headers) {
    if (k != "set-cookie" || v.rfind("better-auth.session_token=", 0) != 0) continue;
    return v.substr(0, v.find(';'));
  }
  CPPUNIT_FAIL("sign-up of " + email + " set no session cookie");
  return {};
}

}  // namespace crow_test
