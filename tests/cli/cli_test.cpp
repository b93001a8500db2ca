// The crow-auth executable as an operator meets it: serve until a signal, migrate and its dry
// run, --help, and the one-line errors of a bad start.
#include "process.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using crow_test::ChildProcess;
using crow_test::ProcessResult;
using crow_test::runProcess;

namespace {

const std::string kExecutable = std::string(CROW_BUILD_DIR) + "/bin/crow-auth";

std::string envOr(const char* name, const std::string& fallback = {}) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// The lines of stderr that are errors (start-up also prints warnings and log lines).
std::vector<std::string> errorLines(const std::string& err) {
  std::vector<std::string> lines;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("crow-auth: ", 0) == 0 && line.rfind("crow-auth: warning:", 0) != 0) lines.push_back(line);
  return lines;
}

int get(int port, const std::string& path, std::string* body = nullptr) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(5, 0));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (body) *body = text;
  return response.getStatus();
}

// Polls `path` until it answers `status` or `timeoutMs` passes; returns the last status seen.
int waitForStatus(int port, const std::string& path, int status, int timeoutMs) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  int last = -1;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      last = get(port, path);
    } catch (const std::exception&) {
      last = -1;
    }
    if (last == status) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return last;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "crow-cli-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string write(const std::string& name, const std::string& text) const {
    std::string file = path_ + "/" + name;
    std::ofstream(file) << text;
    return file;
  }

 private:
  std::string path_;
};

std::string configFor(const std::string& databaseUrl, const std::string& pluginsBlock = "plugins:\n  - id: example\n") {
  return "server:\n  port: 0\n  shutdownGraceMs: 3000\n"
         "database:\n  url: \"" + databaseUrl + "\"\n"
         "logging:\n  accessLog: false\n" + pluginsBlock;
}

// A fresh database on the test cluster, so rows other suites leave there (keys encrypted with
// their secrets, for one) cannot affect these tests. Returns its URL.
std::string freshPostgresDatabase(const std::string& clusterUrl, const std::string& name) {
  ProcessResult made = runProcess({"/usr/bin/psql", clusterUrl, "-q", "-c", "drop database if exists " + name,
                                   "-c", "create database " + name},
                                  60000);
  if (made.exitCode != 0) CPPUNIT_FAIL("cannot create database " + name + ": " + made.err);
  return clusterUrl.substr(0, clusterUrl.rfind('/') + 1) + name;
}

// Starts `crow-auth serve` and returns its port (from the start-up line).
int startServe(ChildProcess& child) {
  std::string line = child.waitForLine("listening on http://", 30000);
  if (line.empty()) CPPUNIT_FAIL("crow-auth serve did not start: " + child.err());
  auto colon = line.find(':', line.find("http://") + 7);
  return std::stoi(line.substr(colon + 1));
}

}  // namespace

class CliTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CliTest);
  CPPUNIT_TEST(serveAnswersThenStopsCleanlyOnSigterm);
  CPPUNIT_TEST(sigintStopsToo);
  CPPUNIT_TEST(readyFollowsPostgres);
  CPPUNIT_TEST(dryRunPrintsDdlForEachDialect);
  CPPUNIT_TEST(migrateAppliesOnceThenNothing);
  CPPUNIT_TEST(migrateOnPostgres);
  CPPUNIT_TEST(jwksRotatePublishesTheNewKeyAndKeepsTheOld);
  CPPUNIT_TEST(helpForEveryVerb);
  CPPUNIT_TEST(usageErrorsExitTwo);
  CPPUNIT_TEST(badStartsAreOneLineAndNonZero);
  CPPUNIT_TEST(versionNamesTheBuildSignature);
  CPPUNIT_TEST_SUITE_END();

 public:
  void serveAnswersThenStopsCleanlyOnSigterm() {
    TempDir dir;
    auto config = dir.write("c.yaml", configFor("sqlite://" + dir.path() + "/var/auth.db"));
    ChildProcess child({kExecutable, "serve", "--config", config});
    int port = startServe(child);
    std::string body;
    CPPUNIT_ASSERT_EQUAL(200, get(port, "/health", &body));
    CPPUNIT_ASSERT_EQUAL(std::string("{\"status\":\"ok\"}"), body);
    CPPUNIT_ASSERT_EQUAL(200, get(port, "/ready"));
    CPPUNIT_ASSERT_EQUAL(200, get(port, "/api/v1/auth/example/hello/ops"));
    CPPUNIT_ASSERT(fs::exists(dir.path() + "/var/auth.db"));  // created, folder included
    child.signal(SIGTERM);
    ProcessResult r = child.wait(15000);
    CPPUNIT_ASSERT_MESSAGE(r.err, !r.timedOut);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exitCode);
  }

  void sigintStopsToo() {
    TempDir dir;
    auto config = dir.write("c.yaml", configFor("sqlite://" + dir.path() + "/auth.db"));
    ChildProcess child({kExecutable, "--config", config});  // serve is the default verb
    int port = startServe(child);
    CPPUNIT_ASSERT_EQUAL(200, get(port, "/ready"));
    child.signal(SIGINT);
    ProcessResult r = child.wait(15000);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exitCode);
  }

  void readyFollowsPostgres() {
    const std::string url = envOr("CROW_TEST_POSTGRES_URL");
    const std::string script = envOr("CROW_TEST_POSTGRES_SCRIPT");
    if (url.empty() || script.empty()) {
      if (envOr("CROW_REQUIRE_POSTGRES") == "1") CPPUNIT_FAIL("CROW_TEST_POSTGRES_URL/_SCRIPT not set");
      return;
    }
    TempDir dir;
    auto config = dir.write("c.yaml", configFor(freshPostgresDatabase(url, "crow_cli_ready")));
    ChildProcess child({kExecutable, "serve", "--config", config});
    int port = startServe(child);
    CPPUNIT_ASSERT_EQUAL(200, get(port, "/ready"));
    ProcessResult paused = runProcess({"/bin/bash", script, "pause"}, 60000);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(paused.err, 0, paused.exitCode);
    int during = waitForStatus(port, "/ready", 503, 15000);
    int health = get(port, "/health");  // no database behind it
    ProcessResult resumed = runProcess({"/bin/bash", script, "resume"}, 60000);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(resumed.err, 0, resumed.exitCode);
    CPPUNIT_ASSERT_EQUAL(503, during);
    CPPUNIT_ASSERT_EQUAL(200, health);
    CPPUNIT_ASSERT_EQUAL(200, waitForStatus(port, "/ready", 200, 20000));
    child.signal(SIGTERM);
    CPPUNIT_ASSERT_EQUAL(0, child.wait(15000).exitCode);
  }

  void dryRunPrintsDdlForEachDialect() {
    TempDir dir;
    auto config = dir.write("c.yaml", configFor("sqlite://" + dir.path() + "/never.db"));
    ProcessResult sqlite = runProcess({kExecutable, "migrate", "--dry-run", "--dialect", "sqlite", "--config", config}, 60000);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(sqlite.err, 0, sqlite.exitCode);
    // Better Auth's own DDL for the user table, byte for byte.
    CPPUNIT_ASSERT_MESSAGE(sqlite.out, sqlite.out.find("create table \"user\" (\"id\" text not null primary key, \"name\" text not null, "
                                                       "\"email\" text not null unique, \"emailVerified\" integer not null, \"image\" text, "
                                                       "\"createdAt\" date not null, \"updatedAt\" date not null);") != std::string::npos);
    CPPUNIT_ASSERT(sqlite.out.find("create table \"exampleNote\"") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE("a dry run must not create the database", !fs::exists(dir.path() + "/never.db"));

    ProcessResult pg = runProcess({kExecutable, "migrate", "--dry-run", "--dialect", "postgresql", "--config", config}, 60000);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(pg.err, 0, pg.exitCode);
    CPPUNIT_ASSERT_MESSAGE(pg.out, pg.out.find("\"emailVerified\" boolean not null") != std::string::npos);
    CPPUNIT_ASSERT(pg.out.find("\"createdAt\" timestamptz not null") != std::string::npos);
    CPPUNIT_ASSERT(pg.out.find("create index \"session_userId_idx\"") != std::string::npos);
  }

  void migrateAppliesOnceThenNothing() {
    TempDir dir;
    auto config = dir.write("c.yaml", configFor("sqlite://" + dir.path() + "/m.db"));
    ProcessResult first = runProcess({kExecutable, "migrate", "--config", config}, 60000);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(first.err, 0, first.exitCode);
    CPPUNIT_ASSERT_MESSAGE(first.out, first.out.find("applied") != std::string::npos);
    ProcessResult second = runProcess({kExecutable, "migrate", "--config", config}, 60000);
    CPPUNIT_ASSERT_EQUAL(0, second.exitCode);
    CPPUNIT_ASSERT_MESSAGE(second.out, second.out.find("up to date") != std::string::npos);
    ProcessResult dry = runProcess({kExecutable, "migrate", "--dry-run", "--config", config}, 60000);
    CPPUNIT_ASSERT_EQUAL(0, dry.exitCode);
    CPPUNIT_ASSERT_MESSAGE(dry.out, dry.out.find("create table") == std::string::npos);
  }

  void migrateOnPostgres() {
    const std::string url = envOr("CROW_TEST_POSTGRES_URL");
    if (url.empty()) {
      if (envOr("CROW_REQUIRE_POSTGRES") == "1") CPPUNIT_FAIL("CROW_TEST_POSTGRES_URL not set");
      return;
    }
    TempDir dir;
    auto config = dir.write("c.yaml", configFor(freshPostgresDatabase(url, "crow_cli_migrate")));
    ProcessResult first = runProcess({kExecutable, "migrate", "--config", config}, 60000);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(first.err, 0, first.exitCode);
    ProcessResult dry = runProcess({kExecutable, "migrate", "--dry-run", "--config", config}, 60000);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(dry.err, 0, dry.exitCode);
    CPPUNIT_ASSERT_MESSAGE(dry.out, dry.out.find("create table") == std::string::npos);
  }

  void jwksRotatePublishesTheNewKeyAndKeepsTheOld() {
    TempDir dir;
    auto config = dir.write("c.yaml", configFor("sqlite://" + dir.path() + "/k.db"));
    ProcessResult rotated = runProcess({kExecutable, "jwks", "rotate", "--config", config}, 60000);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(rotated.err, 0, rotated.exitCode);
    const std::string prefix = "new signing key ";
    CPPUNIT_ASSERT_MESSAGE(rotated.out, rotated.out.rfind(prefix, 0) == 0);
    std::string kid = rotated.out.substr(prefix.size(), 32);
    ChildProcess child({kExecutable, "serve", "--config", config});
    int port = startServe(child);
    std::string jwks;
    CPPUNIT_ASSERT_EQUAL(200, get(port, "/api/v1/auth/jwks", &jwks));
    // The key made at first start stays published (grace period) next to the rotated one.
    CPPUNIT_ASSERT_MESSAGE(jwks, jwks.find("\"kid\":\"" + kid + "\"") != std::string::npos);
    size_t keys = 0;
    for (size_t at = jwks.find("\"kid\""); at != std::string::npos; at = jwks.find("\"kid\"", at + 1)) ++keys;
    CPPUNIT_ASSERT_EQUAL_MESSAGE(jwks, size_t{2}, keys);
    CPPUNIT_ASSERT_MESSAGE("no private member in /jwks", jwks.find("\"d\"") == std::string::npos);
    child.signal(SIGTERM);
    CPPUNIT_ASSERT_EQUAL(0, child.wait(15000).exitCode);
  }

  void helpForEveryVerb() {
    for (std::string verb : {"serve", "migrate", "plugins", "check-config", "version", "jwks"}) {
      ProcessResult r = runProcess({kExecutable, verb, "--help"}, 10000);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(verb, 0, r.exitCode);
      CPPUNIT_ASSERT_MESSAGE(verb, r.out.find(std::string("usage: crow-auth")) != std::string::npos);
    }
    ProcessResult overview = runProcess({kExecutable, "--help"}, 10000);
    CPPUNIT_ASSERT_EQUAL(0, overview.exitCode);
    CPPUNIT_ASSERT(overview.out.find("check-config") != std::string::npos);
  }

  void usageErrorsExitTwo() {
    for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
             {"frobnicate"}, {"serve", "--bogus"}, {"serve", "--config"}, {"serve", "--dry-run"}}) {
      args.insert(args.begin(), kExecutable);
      ProcessResult r = runProcess(args, 10000);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(args[1], 2, r.exitCode);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, size_t{1}, errorLines(r.err).size());
    }
  }

  void badStartsAreOneLineAndNonZero() {
    TempDir dir;
    struct Case {
      std::string name, yaml, expected;
    };
    std::vector<Case> cases = {
        {"malformed", "server:\n  port: [1, 2\n", "invalid YAML"},
        {"unknown-key", "server:\n  prot: 8080\n", "server.prot"},
        {"wrong-type", "server:\n  port: eighty\n", "server.port"},
        {"unknown-plugin", configFor("sqlite://" + dir.path() + "/x.db", "plugins:\n  - id: no-such-plugin\n"),
         "unknown plugin 'no-such-plugin'"},
        {"not-a-plugin", configFor("sqlite://" + dir.path() + "/x.db", "plugins:\n  - path: /etc/hostname\n"),
         "/etc/hostname"},
        {"sqlite-unwritable", configFor("sqlite:///proc/crow-no-such/x.db"), "cannot open SQLite database"},
        {"postgres-refusing", configFor("postgresql://admin:hunter2secret@127.0.0.1:1/auth"), "cannot connect to PostgreSQL"},
    };
    for (const auto& c : cases) {
      auto config = dir.write(c.name + ".yaml", c.yaml);
      ProcessResult r = runProcess({kExecutable, "serve", "--config", config}, 60000);
      CPPUNIT_ASSERT_MESSAGE(c.name, !r.timedOut);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.name + ": " + r.err, 1, r.exitCode);
      auto lines = errorLines(r.err);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.name + ": " + r.err, size_t{1}, lines.size());
      CPPUNIT_ASSERT_MESSAGE(c.name + ": " + lines[0], lines[0].find(c.expected) != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE("password leaked: " + r.err, r.err.find("hunter2secret") == std::string::npos);
    }
    ProcessResult missing = runProcess({kExecutable, "check-config", "--config", dir.path() + "/absent.yaml"}, 10000);
    CPPUNIT_ASSERT_EQUAL(1, missing.exitCode);
    CPPUNIT_ASSERT(errorLines(missing.err).at(0).find("absent.yaml") != std::string::npos);
  }

  void versionNamesTheBuildSignature() {
    ProcessResult r = runProcess({kExecutable, "version"}, 10000);
    CPPUNIT_ASSERT_EQUAL(0, r.exitCode);
    CPPUNIT_ASSERT(r.out.find("crow-auth ") == 0);
    CPPUNIT_ASSERT(r.out.find("build signature gcc-") != std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CliTest);
