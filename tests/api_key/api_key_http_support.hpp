// Shared by the api-key HTTP suites: the test YAML, clients for signed-in users, verify calls,
// SQL on the server's database (sqlite3 or psql), and JSON helpers.
#pragma once

#include "key_material.hpp"
#include "crow/store.hpp"
#include "served_crow.hpp"

#include "jwt/jwk.hpp"
#include "jwt/jwt_signer.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>
#include <unistd.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

using crow_test::HeaderList;
using crow_test::Reply;
using crow_test::ServedCrow;
using crow_test::ServeOptions;

namespace api_key_test {

inline const std::string kGatewayKey = "gw-3c5e7a9b1d2f4e6a8c0b2d4f6a8c0e1b3d5f7a9c";

inline std::string envOr(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

inline std::string yaml(const std::string& apiKeyConfig, bool withOrganizations = true) {
  std::string out =
      "inboundKeys:\n  gateway: \"" + kGatewayKey + "\"\n"
      "plugins:\n"
      "  - id: service-auth\n    config:\n      protect: [\"/api-key/verify\"]\n";
  if (withOrganizations) out += "  - id: organization\n    config:\n      requireEmailVerificationOnInvitation: false\n";
  out += "  - id: api-key\n    config:\n      enableSessionForAPIKeys: true\n      usageFlushMs: 200\n" + apiKeyConfig;
  return out;
}

inline Poco::JSON::Object::Ptr object(const std::string& body) {
  auto v = Poco::JSON::Parser().parse(body);
  CPPUNIT_ASSERT_MESSAGE(body, v.type() == typeid(Poco::JSON::Object::Ptr));
  return v.extract<Poco::JSON::Object::Ptr>();
}
inline Poco::JSON::Object::Ptr object(const Reply& r) { return object(r.body); }

inline void expectError(const Reply& r, int status, const std::string& code) {
  CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, status, r.status);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, code, object(r)->getValue<std::string>("code"));
}

// A SQL statement on the server's database (sqlite3 or psql), returning what it prints.
inline std::string sql(const ServedCrow& server, const std::string& databaseUrl, const std::string& statement) {
  std::string command;
  if (databaseUrl.empty())
    command = "sqlite3 -separator '|' '" + server.dir().path() + "/crow.db' \"" + statement + "\"";
  else
    command = "psql -qtA -F '|' '" + databaseUrl + "' -c \"" + statement + "\"";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// The PostgreSQL test cluster's URL, or nullopt after printing why the test is skipped (a
// failure instead when test.sh requires PostgreSQL).
inline std::optional<std::string> postgresClusterOrSkip() {
  const std::string cluster = envOr("CROW_TEST_POSTGRES_URL");
  if (!cluster.empty()) return cluster;
  if (envOr("CROW_REQUIRE_POSTGRES") == "1") CPPUNIT_FAIL("CROW_REQUIRE_POSTGRES=1 but CROW_TEST_POSTGRES_URL is not set");
  std::cerr << "[skipped: CROW_TEST_POSTGRES_URL is not set] ";
  return std::nullopt;
}

// A new, empty database on the PostgreSQL test cluster.
inline std::string freshPostgresDatabase(const std::string& clusterUrl, const std::string& name) {
  crow_test::ProcessResult made = crow_test::runProcess(
      {"/usr/bin/psql", clusterUrl, "-q", "-c", "drop database if exists " + name, "-c", "create database " + name}, 60000);
  if (made.exitCode != 0) CPPUNIT_FAIL("cannot create database " + name + ": " + made.err);
  return clusterUrl.substr(0, clusterUrl.rfind('/') + 1) + name;
}

struct Client {
  const ServedCrow& server;
  std::string cookie;
  Reply post(const std::string& path, const std::string& json) const {
    return server.postJson("/api-key/" + path, json, {{"Cookie", cookie}});
  }
  Reply get(const std::string& path) const { return server.get("/api-key/" + path, {{"Cookie", cookie}}); }
  std::string userId() const {
    return object(server.get("/get-session", {{"Cookie", cookie}}))->getObject("user")->getValue<std::string>("id");
  }
};

struct Created {
  std::string id;
  std::string key;
};

inline Created create(const Client& c, const std::string& json = "{}") {
  Reply r = c.post("create", json);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
  auto o = object(r);
  return {o->getValue<std::string>("id"), o->getValue<std::string>("key")};
}

inline Reply verify(const ServedCrow& server, const std::string& body, const std::string& query = {}) {
  return server.postJson("/api-key/verify" + query, body, {{"X-Service-API-Key", kGatewayKey}});
}

inline Reply verifyKey(const ServedCrow& server, const std::string& key) {
  return verify(server, R"({"key":")" + key + R"("})");
}

// "valid" or the error code of a verify answer.
inline std::string outcome(const Reply& r) {
  CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
  auto o = object(r);
  if (o->getValue<bool>("valid")) return "valid";
  CPPUNIT_ASSERT_MESSAGE(r.body, o->isNull("key"));
  return o->getObject("error")->getValue<std::string>("code");
}

inline std::vector<std::string> keysOf(const Poco::JSON::Object::Ptr& o) {
  // getNames() keeps the parse order of an object parsed with preserved order.
  std::vector<std::string> names;
  for (const auto& k : o->getNames()) names.push_back(k);
  return names;
}

inline const std::vector<std::string> kRecordOrder = {
    "configId", "name", "start", "referenceId", "prefix", "refillInterval", "refillAmount", "lastRefillAt",
    "enabled", "rateLimitEnabled", "rateLimitTimeWindow", "rateLimitMax", "requestCount", "remaining",
    "lastRequest", "expiresAt", "createdAt", "updatedAt", "permissions", "metadata", "id"};

inline std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + ",";
  return out;
}

// Parses with the member order kept (Poco's default parser sorts members).
inline Poco::JSON::Object::Ptr ordered(const std::string& body) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

// `n` verifies of `key` at once; returns how many were valid and the other outcomes.
inline std::map<std::string, int> burst(const ServedCrow& server, const std::string& key, int n) {
  std::vector<std::string> results(static_cast<size_t>(n));
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      while (!go) std::this_thread::yield();
      Reply r = verifyKey(server, key);
      results[static_cast<size_t>(i)] = r.status == 200 ? outcome(r) : "HTTP " + std::to_string(r.status) + " " + r.body;
    });
  go = true;
  for (auto& t : threads) t.join();
  std::map<std::string, int> tally;
  for (const auto& r : results) tally[r]++;
  return tally;
}

inline std::string describe(const std::map<std::string, int>& tally) {
  std::string out;
  for (const auto& [k, v] : tally) out += k + "=" + std::to_string(v) + " ";
  return out;
}

inline std::string base64UrlDecode(std::string s) {
  for (char& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (s.size() % 4) s += '=';
  static const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -8;
  for (char c : s) {
    if (c == '=') break;
    val = (val << 6) + static_cast<int>(chars.find(c));
    bits += 6;
    if (bits >= 0) {
      out += static_cast<char>((val >> bits) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

}  // namespace api_key_test
