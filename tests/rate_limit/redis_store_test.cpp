// The Redis LimitStore against a real Redis (tests/support/redis.sh): fixed-window semantics,
// atomicity under 20 threads and across two store instances, failing fast while Redis is frozen
// and recovering after, URL validation, AUTH/SELECT, and that a password never reaches a message.
// Skipped when CROW_TEST_REDIS_URL is unset, unless CROW_REQUIRE_REDIS=1 (./test.sh sets both).
#include "redis_store.hpp"

#include "process.hpp"
#include "store_semantics.hpp"

#include <crow/error.hpp>

#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/Type.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using crow::rate_limit::Decision;
using crow::rate_limit::LimitStore;
using crow::rate_limit::makeRedisStore;
using crow::rate_limit::RedisOptions;
using crow::rate_limit::StoreUnavailable;

namespace {

std::string envOr(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// The test server's URL, or "" to skip (fails instead when CROW_REQUIRE_REDIS=1).
std::string redisUrl() {
  std::string url = envOr("CROW_TEST_REDIS_URL");
  if (url.empty() && envOr("CROW_REQUIRE_REDIS") == "1")
    CPPUNIT_FAIL("CROW_REQUIRE_REDIS=1 but CROW_TEST_REDIS_URL is not set (start one with tests/support/redis.sh start)");
  if (url.empty()) std::cerr << "[skipped: CROW_TEST_REDIS_URL is not set] ";
  return url;
}

// "redis://127.0.0.1:PORT" -> "127.0.0.1:PORT" (the test server has no credentials or db).
std::string hostPort(const std::string& url) { return url.substr(std::string("redis://").size()); }

std::string uniqueKey(const std::string& stem) {
  static std::mt19937_64 random(std::random_device{}());
  return stem + ":" + std::to_string(random());
}

int64_t elapsedMs(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}

// A plain client for inspecting and arranging the server.
struct Admin {
  Poco::Redis::Client client;
  explicit Admin(const std::string& url) { client.connect(hostPort(url)); }
  Poco::Redis::RedisType::Ptr run(std::initializer_list<std::string> words) {
    Poco::Redis::Array command;
    for (const auto& w : words) command.add(w);
    return client.sendCommand(command);
  }
  int64_t integer(std::initializer_list<std::string> words) {
    auto reply = run(words);
    CPPUNIT_ASSERT(reply->isInteger());
    return static_cast<Poco::Redis::Type<Poco::Int64>&>(*reply).value();
  }
  // The text of a simple-string or bulk-string reply.
  std::string text(std::initializer_list<std::string> words) {
    auto reply = run(words);
    if (reply->type() == Poco::Redis::RedisTypeTraits<Poco::Redis::BulkString>::TypeId) {
      const auto& bulk = static_cast<Poco::Redis::Type<Poco::Redis::BulkString>&>(*reply).value();
      return bulk.isNull() ? "(nil)" : bulk.value();
    }
    if (reply->type() == Poco::Redis::RedisTypeTraits<std::string>::TypeId)
      return static_cast<Poco::Redis::Type<std::string>&>(*reply).value();
    return reply->toString();
  }
};

RedisOptions optionsFor(const std::string& url, const std::string& prefix = "crow:rl-test:") {
  RedisOptions options;
  options.url = url;
  options.keyPrefix = prefix;
  return options;
}

// A loopback port nothing listens on (bound then closed, not listened on).
int closedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

void script(const std::string& verb) {
  const std::string path = envOr("CROW_TEST_REDIS_SCRIPT").empty() ? std::string(CROW_SOURCE_DIR) + "/tests/support/redis.sh"
                                                                   : envOr("CROW_TEST_REDIS_SCRIPT");
  crow_test::ProcessResult result = crow_test::runProcess({"/bin/bash", path, verb}, 60000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE("redis.sh " + verb + ": " + result.err, 0, result.exitCode);
}

// The message of the StoreUnavailable `action` throws; fails when it throws nothing or else.
std::string unavailableMessage(const std::function<void()>& action) {
  try {
    action();
  } catch (const StoreUnavailable& e) {
    return e.what();
  }
  CPPUNIT_FAIL("expected StoreUnavailable");
  return {};
}

std::string configErrorMessage(const std::string& url) {
  try {
    makeRedisStore(optionsFor(url));
  } catch (const crow::ConfigError& e) {
    return e.what();
  }
  CPPUNIT_FAIL("expected a ConfigError for a malformed URL");
  return {};
}

}  // namespace

class RedisStoreTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RedisStoreTest);
  CPPUNIT_TEST(fixedWindowCountsDeniesAndReopens);
  CPPUNIT_TEST(deniedHitsDoNotExtendTheWindow);
  CPPUNIT_TEST(keysAreSeparateAndPrefixed);
  CPPUNIT_TEST(twentyThreadsOnTwoStoresAllowExactlyMax);
  CPPUNIT_TEST(keepsTheSharedContentionContract);
  CPPUNIT_TEST(frozenRedisFailsFastThenRecovers);
  CPPUNIT_TEST(callersQueuedBehindAFrozenRedisAllFailQuickly);
  CPPUNIT_TEST(redisDownAtStartIsNotFatal);
  CPPUNIT_TEST(pooledConnectionClosedByRedisIsReplaced);
  CPPUNIT_TEST(flushedScriptIsSentAgain);
  CPPUNIT_TEST(selectsTheDatabaseOfTheUrl);
  CPPUNIT_TEST(authenticatesWithoutLeakingThePassword);
  CPPUNIT_TEST(malformedUrlsAreConfigErrors);
  CPPUNIT_TEST_SUITE_END();

 public:
  void fixedWindowCountsDeniesAndReopens() {
    const std::string url = redisUrl();
    if (url.empty()) return;
    auto store = makeRedisStore(optionsFor(url));
    CPPUNIT_ASSERT_EQUAL(std::string("redis"), std::string(store->kind()));
    const std::string key = uniqueKey("window");
    for (int i = 1; i <= 3; ++i) {
      Decision d = store->hit(key, 800, 3, 0);
      CPPUNIT_ASSERT(d.allowed);
      CPPUNIT_ASSERT_EQUAL(int64_t{i}, d.count);
    }
    Decision denied = store->hit(key, 800, 3, 0);
    CPPUNIT_ASSERT(!denied.allowed);
    CPPUNIT_ASSERT_EQUAL(int64_t{3}, denied.count);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(denied.retryAfterMs), denied.retryAfterMs > 0 && denied.retryAfterMs <= 800);
    std::this_thread::sleep_for(std::chrono::milliseconds(denied.retryAfterMs + 50));
    Decision reopened = store->hit(key, 800, 3, 0);
    CPPUNIT_ASSERT(reopened.allowed);
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, reopened.count);
  }

  void deniedHitsDoNotExtendTheWindow() {
    const std::string url = redisUrl();
    if (url.empty()) return;
    auto store = makeRedisStore(optionsFor(url));
    const std::string key = uniqueKey("extend");
    CPPUNIT_ASSERT(store->hit(key, 1000, 1, 0).allowed);
    const auto opened = std::chrono::steady_clock::now();  // no earlier than Redis opened the window
    int64_t previous = 1001;
    for (int i = 0; i < 5; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const int64_t sinceOpened = elapsedMs(opened);  // no later than Redis computes the TTL
      Decision d = store->hit(key, 1000, 1, 0);
      CPPUNIT_ASSERT(!d.allowed);
      CPPUNIT_ASSERT_EQUAL(int64_t{1}, d.count);
      CPPUNIT_ASSERT_MESSAGE(std::to_string(d.retryAfterMs) + " after " + std::to_string(previous), d.retryAfterMs < previous);
      // The window still ends where the first hit put it.
      CPPUNIT_ASSERT_MESSAGE(std::to_string(d.retryAfterMs) + " > 1000 - " + std::to_string(sinceOpened),
                             d.retryAfterMs <= 1000 - sinceOpened + 2);
      previous = d.retryAfterMs;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(previous + 50));
    CPPUNIT_ASSERT(store->hit(key, 1000, 1, 0).allowed);
  }

  void keysAreSeparateAndPrefixed() {
    const std::string url = redisUrl();
    if (url.empty()) return;
    auto store = makeRedisStore(optionsFor(url, "crow:rl-prefix-test:"));
    const std::string a = uniqueKey("a"), b = uniqueKey("b");
    CPPUNIT_ASSERT(store->hit(a, 60000, 1, 0).allowed);
    CPPUNIT_ASSERT(!store->hit(a, 60000, 1, 0).allowed);
    CPPUNIT_ASSERT(store->hit(b, 60000, 1, 0).allowed);
    Admin admin(url);
    CPPUNIT_ASSERT_EQUAL(std::string("1"), admin.text({"GET", "crow:rl-prefix-test:" + a}));
    const int64_t ttl = admin.integer({"PTTL", "crow:rl-prefix-test:" + a});
    CPPUNIT_ASSERT_MESSAGE(std::to_string(ttl), ttl > 55000 && ttl <= 60000);
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, admin.integer({"EXISTS", a}));
  }

  // 20 threads x 50 hits, half on each of two stores (two instances sharing one Redis), with max
  // 100: exactly 100 are allowed, and the counts handed out are exactly 1..100.
  void twentyThreadsOnTwoStoresAllowExactlyMax() {
    const std::string url = redisUrl();
    if (url.empty()) return;
    RedisOptions options = optionsFor(url);
    options.poolSize = 4;  // fewer connections than threads: the pool must queue, not fail
    auto first = makeRedisStore(options);
    auto second = makeRedisStore(options);
    const std::string key = uniqueKey("threads");
    std::atomic<int> allowed{0}, denied{0}, failed{0};
    std::vector<std::atomic<int>> seen(101);
    std::vector<std::thread> threads;
    for (int t = 0; t < 20; ++t) {
      threads.emplace_back([&, t] {
        LimitStore& store = t % 2 ? *first : *second;
        for (int i = 0; i < 50; ++i) {
          try {
            Decision d = store.hit(key, 60000, 100, 0);
            if (d.allowed) {
              ++allowed;
              if (d.count >= 1 && d.count <= 100) ++seen[d.count];
            } else {
              ++denied;
            }
          } catch (const std::exception&) {
            ++failed;
          }
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CPPUNIT_ASSERT_EQUAL(0, failed.load());
    CPPUNIT_ASSERT_EQUAL(100, allowed.load());
    CPPUNIT_ASSERT_EQUAL(900, denied.load());
    // Counts reported from a lease are the instance's own view and may repeat across the two
    // stores; what must hold exactly is the number admitted (above), and every count is in range.
    int inRange = 0;
    for (int count = 1; count <= 100; ++count) inRange += seen[count].load();
    CPPUNIT_ASSERT_EQUAL(100, inRange);
  }

  // The check every store's suite runs (store_semantics.hpp). Its other checks drive time through
  // `nowMs`, which this store ignores (Redis' clock rules): the window tests above cover those.
  void keepsTheSharedContentionContract() {
    const std::string url = redisUrl();
    if (url.empty()) return;
    auto store = makeRedisStore(optionsFor(url));
    rate_limit_test::checkExactlyMaxUnderContention(*store, uniqueKey("contract"), 20, 20, 50);
  }

  // Frozen Redis (SIGSTOP): the first hit waits at most the timeout, the next ones fail at once;
  // after the thaw the store answers again within about the 1 s down interval, and the counter
  // survived. The hit that timed out had already reached Redis' socket, so Redis runs it when it
  // thaws: it counts (a timeout errs towards counting, never towards forgetting a hit).
  // (A max under twice the lease divisor keeps leases at one hit, so every hit here asks Redis;
  // a lease granted before an outage stays valid for its window, which admits no more than Redis
  // granted.)
  void frozenRedisFailsFastThenRecovers() {
    const std::string url = redisUrl();
    if (url.empty()) return;
    RedisOptions options = optionsFor(url);
    options.timeoutMs = 200;
    auto store = makeRedisStore(options);
    const std::string key = uniqueKey("frozen");
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, store->hit(key, 60000, 10, 0).count);

    script("pause");
    int64_t firstMs = -1, restMs = -1;
    std::string message;
    try {
      auto started = std::chrono::steady_clock::now();
      message = unavailableMessage([&] { store->hit(key, 60000, 10, 0); });
      firstMs = elapsedMs(started);
      started = std::chrono::steady_clock::now();
      for (int i = 0; i < 200; ++i) unavailableMessage([&] { store->hit(key, 60000, 10, 0); });
      restMs = elapsedMs(started);
    } catch (...) {
      script("resume");
      throw;
    }
    script("resume");
    CPPUNIT_ASSERT_MESSAGE(std::to_string(firstMs), firstMs >= 150 && firstMs < 1000);
    CPPUNIT_ASSERT_MESSAGE("200 hits while down took " + std::to_string(restMs) + " ms", restMs < 100);
    CPPUNIT_ASSERT_MESSAGE(message, message.find("Redis") != std::string::npos);

    const auto resumed = std::chrono::steady_clock::now();
    int64_t count = 0;
    while (elapsedMs(resumed) < 5000) {
      try {
        count = store->hit(key, 60000, 10, 0).count;
        break;
      } catch (const StoreUnavailable&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    CPPUNIT_ASSERT_MESSAGE("not back after " + std::to_string(elapsedMs(resumed)) + " ms", count > 0);
    CPPUNIT_ASSERT(elapsedMs(resumed) < 2000);
    CPPUNIT_ASSERT_EQUAL(int64_t{3}, count);
  }

  // 16 threads on 2 connections hit a frozen Redis at once: the hits queued behind the stuck
  // round trips fail with it instead of waiting their own timeouts one after another.
  void callersQueuedBehindAFrozenRedisAllFailQuickly() {
    const std::string url = redisUrl();
    if (url.empty()) return;
    RedisOptions options = optionsFor(url);
    options.poolSize = 2;
    options.timeoutMs = 200;
    auto store = makeRedisStore(options);
    const std::string key = uniqueKey("frozen-many");
    CPPUNIT_ASSERT(store->hit(key, 60000, 10, 0).allowed);
    std::atomic<int> failed{0}, succeeded{0};
    std::atomic<int64_t> slowestMs{0};
    script("pause");
    {
      std::vector<std::thread> threads;
      for (int t = 0; t < 16; ++t) {
        threads.emplace_back([&] {
          const auto started = std::chrono::steady_clock::now();
          for (int i = 0; i < 5; ++i) {
            try {
              store->hit(key, 60000, 10, 0);
              ++succeeded;
            } catch (const StoreUnavailable&) {
              ++failed;
            }
          }
          int64_t took = elapsedMs(started), seen = slowestMs.load();
          while (took > seen && !slowestMs.compare_exchange_weak(seen, took)) {
          }
        });
      }
      for (auto& thread : threads) thread.join();
    }
    script("resume");
    CPPUNIT_ASSERT_EQUAL(0, succeeded.load());
    CPPUNIT_ASSERT_EQUAL(80, failed.load());
    // At worst one timeout to open a connection and one to read, then everything fails fast.
    CPPUNIT_ASSERT_MESSAGE(std::to_string(slowestMs.load()) + " ms", slowestMs.load() < 1500);
  }

  void redisDownAtStartIsNotFatal() {
    const std::string url = redisUrl();
    if (url.empty()) return;
    auto store = makeRedisStore(optionsFor("redis://127.0.0.1:" + std::to_string(closedPort())));
    auto started = std::chrono::steady_clock::now();
    const std::string message = unavailableMessage([&] { store->hit("k", 1000, 1, 0); });
    CPPUNIT_ASSERT_MESSAGE(message, message.find("127.0.0.1") != std::string::npos);
    for (int i = 0; i < 100; ++i) unavailableMessage([&] { store->hit("k", 1000, 1, 0); });
    CPPUNIT_ASSERT(elapsedMs(started) < 200);
  }

  // Redis drops every client (as on a restart): the store notices on its pooled connections,
  // opens new ones, and the caller never sees a failure.
  void pooledConnectionClosedByRedisIsReplaced() {
    const std::string url = redisUrl();
    if (url.empty()) return;
    auto store = makeRedisStore(optionsFor(url));
    const std::string key = uniqueKey("killed");
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, store->hit(key, 60000, 10, 0).count);
    Admin admin(url);
    admin.run({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CPPUNIT_ASSERT_EQUAL(int64_t{2}, store->hit(key, 60000, 10, 0).count);
    CPPUNIT_ASSERT_EQUAL(int64_t{3}, store->hit(key, 60000, 10, 0).count);
  }

  void flushedScriptIsSentAgain() {
    const std::string url = redisUrl();
    if (url.empty()) return;
    auto store = makeRedisStore(optionsFor(url));
    const std::string key = uniqueKey("flushed");
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, store->hit(key, 60000, 10, 0).count);
    Admin admin(url);
    CPPUNIT_ASSERT_EQUAL(std::string("OK"), admin.text({"SCRIPT", "FLUSH"}));
    CPPUNIT_ASSERT_EQUAL(int64_t{2}, store->hit(key, 60000, 10, 0).count);
    CPPUNIT_ASSERT_EQUAL(int64_t{3}, store->hit(key, 60000, 10, 0).count);
  }

  void selectsTheDatabaseOfTheUrl() {
    const std::string url = redisUrl();
    if (url.empty()) return;
    auto store = makeRedisStore(optionsFor(url + "/3"));
    const std::string key = uniqueKey("db3");
    CPPUNIT_ASSERT(store->hit(key, 60000, 10, 0).allowed);
    Admin admin(url);
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, admin.integer({"EXISTS", "crow:rl-test:" + key}));
    admin.run({"SELECT", "3"});
    CPPUNIT_ASSERT_EQUAL(int64_t{1}, admin.integer({"EXISTS", "crow:rl-test:" + key}));
  }

  void authenticatesWithoutLeakingThePassword() {
    const std::string url = redisUrl();
    if (url.empty()) return;
    const std::string address = hostPort(url);
    Admin admin(url);
    const std::string user = "crow-rl-test-" + std::to_string(::getpid());
    CPPUNIT_ASSERT_EQUAL(std::string("OK"), admin.text({"ACL", "SETUSER", user, "on", ">Right-Pa55word", "~*", "+@all"}));
    struct DropUser {
      Admin& admin;
      std::string user;
      ~DropUser() { admin.run({"ACL", "DELUSER", user}); }
    } dropUser{admin, user};

    auto good = makeRedisStore(optionsFor("redis://" + user + ":Right-Pa55word@" + address));
    CPPUNIT_ASSERT(good->hit(uniqueKey("auth"), 60000, 10, 0).allowed);
    // %-encoded characters in the password are decoded before AUTH.
    auto encoded = makeRedisStore(optionsFor("redis://" + user + ":Right%2DPa55word@" + address));
    CPPUNIT_ASSERT(encoded->hit(uniqueKey("auth"), 60000, 10, 0).allowed);

    auto wrong = makeRedisStore(optionsFor("redis://" + user + ":Wrong-Pa55word@" + address));
    const std::string refused = unavailableMessage([&] { wrong->hit("k", 1000, 1, 0); });
    CPPUNIT_ASSERT_MESSAGE(refused, refused.find("Wrong-Pa55word") == std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(refused, refused.find("Pa55") == std::string::npos);
    const std::string again = unavailableMessage([&] { wrong->hit("k", 1000, 1, 0); });
    CPPUNIT_ASSERT_MESSAGE(again, again.find("Pa55") == std::string::npos);

    // A password for the default user, which has none: Redis refuses AUTH.
    auto noUser = makeRedisStore(optionsFor("redis://:Lone-Pa55word@" + address));
    const std::string lone = unavailableMessage([&] { noUser->hit("k", 1000, 1, 0); });
    CPPUNIT_ASSERT_MESSAGE(lone, lone.find("Pa55") == std::string::npos);
  }

  void malformedUrlsAreConfigErrors() {
    for (const std::string url : {"http://127.0.0.1:6379", "redis://", "redis://:pw@", "redis://host:0", "redis://host:65536",
                                  "redis://host:port", "redis://host:", "redis://host/x", "redis://[::1", "rediss://host",
                                  "redis://host?db=1", "127.0.0.1:6379", ""}) {
      const std::string message = configErrorMessage(url);
      CPPUNIT_ASSERT_MESSAGE(url + " -> " + message, message.find("Redis URL") != std::string::npos);
    }
    for (const std::string url : {"redis://:Secret-Pw-123@host:notaport", "redis://u:Secret-Pw-123@", "redis://u:Secret%zzPw-123@host",
                                  "rediss://:Secret-Pw-123@host"}) {
      const std::string message = configErrorMessage(url);
      CPPUNIT_ASSERT_MESSAGE(message, message.find("Secret") == std::string::npos);
    }
    RedisOptions options;
    options.poolSize = 0;
    CPPUNIT_ASSERT_THROW(makeRedisStore(options), crow::ConfigError);
    options = RedisOptions{};
    options.timeoutMs = 0;
    CPPUNIT_ASSERT_THROW(makeRedisStore(options), crow::ConfigError);
    // Well-formed URLs construct without contacting anyone.
    for (const std::string url : {"redis://127.0.0.1", "redis://localhost:1/2", "redis://[::1]:6380", "redis://u:p@h:7/0"})
      CPPUNIT_ASSERT_NO_THROW(makeRedisStore(optionsFor(url)));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RedisStoreTest);
