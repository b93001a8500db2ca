#include "util/json_text.hpp"
#include "util/log_format.hpp"
#include "util/logger.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdio>
#include <chrono>
#include <thread>
#include <unistd.h>
#include <vector>

using crow::LogLevel;
using crow::host::StderrLogger;

namespace {

// Captures what a logger writes through a pipe.
class Capture {
 public:
  Capture() { CPPUNIT_ASSERT(::pipe(fds_) == 0); }
  ~Capture() {
    ::close(fds_[0]);
    if (fds_[1] >= 0) ::close(fds_[1]);
  }
  int fd() const { return fds_[1]; }
  void closeWriter() {
    if (fds_[1] >= 0) ::close(fds_[1]);
    fds_[1] = -1;
  }
  std::vector<std::string> lines() {
    closeWriter();
    return drain();
  }
  /// Reads until every writer has closed (call from another thread while writing).
  std::vector<std::string> drain() {
    std::string all;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds_[0], buf, sizeof buf)) > 0) all.append(buf, static_cast<size_t>(n));
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t nl; (nl = all.find('\n', start)) != std::string::npos; start = nl + 1)
      out.push_back(all.substr(start, nl - start));
    CPPUNIT_ASSERT_EQUAL(all.size(), start);  // every line ended with a newline
    return out;
  }

 private:
  int fds_[2] = {-1, -1};
};

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

class LoggerTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(LoggerTest);
  CPPUNIT_TEST(lineShape);
  CPPUNIT_TEST(levelFilter);
  CPPUNIT_TEST(quotingKeepsOneLine);
  CPPUNIT_TEST(accessLine);
  CPPUNIT_TEST(threadsNeverInterleave);
  CPPUNIT_TEST(accessLinesAreBatchedButWhole);
  CPPUNIT_TEST(accessLinesAppearWithoutFlush);
  CPPUNIT_TEST(parseLevel);
  CPPUNIT_TEST(jsonError);
  CPPUNIT_TEST_SUITE_END();

 public:
  void lineShape() {
    Capture cap;
    StderrLogger log("organization", LogLevel::Info, cap.fd());
    log.info("invitation sent", {{"id", "abc"}, {"email domain", "x.y"}});
    auto lines = cap.lines();
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, lines.size());
    const std::string& l = lines[0];
    CPPUNIT_ASSERT_MESSAGE(l, l.rfind("ts=", 0) == 0 && l[3 + 4] == '-' && l[3 + 23] == 'Z');
    CPPUNIT_ASSERT_MESSAGE(l, contains(l, " level=info src=organization msg=\"invitation sent\" id=abc email_domain=x.y"));
  }

  void levelFilter() {
    Capture cap;
    StderrLogger log("host", LogLevel::Warn, cap.fd());
    CPPUNIT_ASSERT(!log.enabled(LogLevel::Info));
    CPPUNIT_ASSERT(log.enabled(LogLevel::Error));
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    auto child = log.withSource("plugin-x");
    child->info("nope");
    child->error("yes");
    log.setLevel(LogLevel::Debug);
    log.debug("now");
    auto lines = cap.lines();
    CPPUNIT_ASSERT_EQUAL(std::size_t{4}, lines.size());
    CPPUNIT_ASSERT(contains(lines[0], "level=warn src=host msg=w"));
    CPPUNIT_ASSERT(contains(lines[1], "level=error src=host msg=e"));
    CPPUNIT_ASSERT(contains(lines[2], "level=error src=plugin-x msg=yes"));
    CPPUNIT_ASSERT(contains(lines[3], "level=debug src=host msg=now"));
  }

  void quotingKeepsOneLine() {
    Capture cap;
    StderrLogger log("host", LogLevel::Debug, cap.fd());
    log.info("m", {{"a", "x\ny"}, {"b", "say \"hi\""}, {"c", ""}, {"d", "a=b"}, {"e", "\x1b[31m"},
                   {"bad key\n", "v"}, {"f", "back\\slash"}, {"g", "caf\xc3\xa9"}});
    auto lines = cap.lines();
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, lines.size());
    const std::string& l = lines[0];
    CPPUNIT_ASSERT_MESSAGE(l, contains(l, R"( a="x\ny")"));
    CPPUNIT_ASSERT_MESSAGE(l, contains(l, R"( b="say \"hi\"")"));
    CPPUNIT_ASSERT_MESSAGE(l, contains(l, R"( c="")"));
    CPPUNIT_ASSERT_MESSAGE(l, contains(l, R"( d="a=b")"));
    CPPUNIT_ASSERT_MESSAGE(l, contains(l, R"( e="\x1b[31m")"));
    CPPUNIT_ASSERT_MESSAGE(l, contains(l, " bad_key_=v"));
    CPPUNIT_ASSERT_MESSAGE(l, contains(l, R"( f="back\\slash")"));
    CPPUNIT_ASSERT_MESSAGE(l, contains(l, " g=\"caf\xc3\xa9\""));
  }

  void accessLine() {
    Capture cap;
    StderrLogger log("host", LogLevel::Error, cap.fd());  // the access log ignores the level
    crow::host::AccessRecord r;
    r.method = "GET";
    r.path = "/api/v1/auth/get-session";
    r.status = 200;
    r.durationMicros = 123;
    r.responseBytes = 45;
    r.requestId = "abc";
    r.client = "1.2.3.4";
    r.owner = "core";
    log.access(r);
    log.flush();
    auto lines = cap.lines();
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, lines.size());
    CPPUNIT_ASSERT_MESSAGE(lines[0], contains(lines[0], " level=info src=access msg=request method=GET "
                                                        "path=/api/v1/auth/get-session status=200 duration_us=123 "
                                                        "bytes=45 request_id=abc client=1.2.3.4 owner=core"));
  }

  void threadsNeverInterleave() {
    char path[] = "/tmp/crow-logger-test-XXXXXX";
    const int fd = ::mkstemp(path);
    CPPUNIT_ASSERT(fd >= 0);
    ::unlink(path);
    {
      StderrLogger log("host", LogLevel::Info, fd);
      std::vector<std::thread> writers;
      for (int t = 0; t < 4; ++t)
        writers.emplace_back([&log, t] {
          for (int i = 0; i < 500; ++i)
            log.info("tick", {{"thread", std::to_string(t)}, {"pad", std::string(200, 'x')}});
        });
      for (auto& w : writers) w.join();
    }
    std::string all;
    char buf[8192];
    ssize_t n;
    ::lseek(fd, 0, SEEK_SET);
    while ((n = ::read(fd, buf, sizeof buf)) > 0) all.append(buf, static_cast<size_t>(n));
    ::close(fd);
    size_t count = 0, start = 0;
    for (size_t nl; (nl = all.find('\n', start)) != std::string::npos; start = nl + 1, ++count) {
      const std::string line = all.substr(start, nl - start);
      CPPUNIT_ASSERT_MESSAGE(line, line.rfind("ts=", 0) == 0);
      CPPUNIT_ASSERT_MESSAGE(line, line.size() > 200 && line.compare(line.size() - 200, 200, std::string(200, 'x')) == 0);
    }
    CPPUNIT_ASSERT_EQUAL(std::size_t{2000}, count);
    CPPUNIT_ASSERT_EQUAL(all.size(), start);
  }

  void accessLinesAreBatchedButWhole() {
    Capture cap;
    std::vector<std::string> lines;
    std::thread reader([&] { lines = cap.drain(); });
    {
      StderrLogger log("host", LogLevel::Info, cap.fd());
      std::vector<std::thread> writers;
      for (int t = 0; t < 4; ++t)
        writers.emplace_back([&log, t] {
          crow::host::AccessRecord r;
          r.method = "GET";
          const std::string path = "/t" + std::to_string(t) + "/" + std::string(100, 'p');
          r.path = path;
          r.status = 200;
          for (int i = 0; i < 1000; ++i) log.access(r);
        });
      for (auto& w : writers) w.join();
    }  // the logger's destruction flushes
    cap.closeWriter();
    reader.join();
    CPPUNIT_ASSERT_EQUAL(std::size_t{4000}, lines.size());
    for (const std::string& l : lines)
      CPPUNIT_ASSERT_MESSAGE(l, l.rfind("ts=", 0) == 0 && contains(l, std::string(100, 'p') + " status=200 "));
  }

  void accessLinesAppearWithoutFlush() {
    char path[] = "/tmp/crow-logger-test-XXXXXX";
    const int fd = ::mkstemp(path);
    ::unlink(path);
    StderrLogger log("host", LogLevel::Info, fd);
    crow::host::AccessRecord r;
    r.method = "GET";
    r.path = "/late";
    log.access(r);
    std::string all;
    for (int i = 0; i < 100 && all.find("path=/late") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      char buf[4096];
      const ssize_t n = ::pread(fd, buf, sizeof buf, 0);
      all.assign(buf, n > 0 ? static_cast<size_t>(n) : 0);
    }
    ::close(fd);
    CPPUNIT_ASSERT_MESSAGE(all, all.find("path=/late") != std::string::npos);
  }

  void parseLevel() {
    CPPUNIT_ASSERT(StderrLogger::parseLevel("WARNING") == LogLevel::Warn);
    CPPUNIT_ASSERT(StderrLogger::parseLevel("debug") == LogLevel::Debug);
    CPPUNIT_ASSERT(!StderrLogger::parseLevel("loud"));
  }

  void jsonError() {
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"message":"Bad \"x\"\n","code":"BAD"})"),
                         crow::host::jsonError("BAD", "Bad \"x\"\n"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"message":"ROLE_NOT_FOUND: x"})"), crow::host::jsonError("", "ROLE_NOT_FOUND: x"));
    std::string s;
    crow::host::appendJsonString(s, std::string_view("\x01", 1));
    CPPUNIT_ASSERT_EQUAL(std::string(R"("\u0001")"), s);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LoggerTest);
