// redis_store.cpp - LimitStore on Redis: a URL parser, connections ("lanes") that pipeline the
// hits of concurrent callers, fail-fast while Redis is down, and one Lua script call per hit.
#include "redis_store.hpp"

#include <crow/error.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/Error.h>
#include <Poco/Redis/Type.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <functional>
#include <unordered_map>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crow::rate_limit {
namespace {

// How long the store stays "down" after a failure before one hit probes Redis again.
constexpr int64_t kDownIntervalMs = 1000;

// How many concurrent hits a lane takes before the next lane (connection) is used. 4, 8 and 16
// measured alike on the 2-core bench host (bench/rate-limit.sh); 8 is the middle.
constexpr int kLaneShare = 8;

// KEYS[1] counter, ARGV[1] window ms, ARGV[2] max, ARGV[3] hits wanted (a lease, >= 1).
// Returns {count, ttl ms, granted}: granted = min(wanted, max - count before), 0 when the window is
// full. Denied calls neither count nor touch the expiry, so they never extend the window. A
// counter found without an expiry (a hand-made key) gets one, so a key can never block forever.
// Kept under Poco's 1 KiB stream buffer so an EVAL goes out in one write.
constexpr std::string_view kScript =
    "local n=tonumber(redis.call('GET',KEYS[1]) or '0') "
    "local w=tonumber(ARGV[1]) "
    "local m=tonumber(ARGV[2]) "
    "local g=0 "
    "if n<m then g=math.min(tonumber(ARGV[3]),m-n) n=redis.call('INCRBY',KEYS[1],g) "
    "if n==g then redis.call('PEXPIRE',KEYS[1],w) return {n,w,g} end end "
    "local t=redis.call('PTTL',KEYS[1]) "
    "if t<0 then redis.call('PEXPIRE',KEYS[1],w) t=w end "
    "return {n,t,g}";

// Leases: a hit that finds no local allowance asks Redis for up to 1/kLeaseDivisor of what is
// left in the window (at most kMaxLease, at least 1) and keeps the surplus for the next hits of
// that key on this instance. Redis never grants more than max in a window, so the limit is never
// exceeded; near the limit every hit asks Redis, so the last requests are counted one by one.
// Far from the limit a busy key costs one round trip per up to kMaxLease hits.
constexpr int64_t kLeaseDivisor = 8;
constexpr int64_t kMaxLease = 64;
constexpr size_t kLeaseShards = 32;

struct RedisTarget {
  std::string host;
  int port = 6379;
  std::string user;
  std::string password;
  bool hasPassword = false;
  int db = 0;
  /// host:port, safe for messages.
  std::string address() const { return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port); }
};

[[noreturn]] void badUrl(const std::string& why) {
  // The URL itself is never repeated: it may carry a password.
  throw crow::ConfigError("invalid Redis URL (expected redis://[[user]:password@]host[:port][/db]): " + why);
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percentDecode(std::string_view text, const char* part) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) badUrl(std::string("bad %-escape in the ") + part);
    const int hi = hexValue(text[i + 1]), lo = hexValue(text[i + 2]);
    if (hi < 0 || lo < 0) badUrl(std::string("bad %-escape in the ") + part);
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

int parseNumber(std::string_view digits, int low, int high, const char* what) {
  if (digits.empty() || digits.size() > 9) badUrl(std::string("bad ") + what);
  int value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') badUrl(std::string("bad ") + what);
    value = value * 10 + (c - '0');
  }
  if (value < low || value > high) badUrl(std::string(what) + " out of range");
  return value;
}

RedisTarget parseUrl(const std::string& url) {
  constexpr std::string_view scheme = "redis://";
  if (url.rfind("rediss://", 0) == 0) badUrl("TLS (rediss://) is not supported");
  if (url.rfind(scheme, 0) != 0) badUrl("it must start with redis://");
  std::string_view rest(url);
  rest.remove_prefix(scheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos) badUrl("query strings and fragments are not supported");

  RedisTarget target;
  // The password may contain '@' only %-encoded, so the last '@' ends the credentials.
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view credentials = rest.substr(0, at);
    rest.remove_prefix(at + 1);
    const auto colon = credentials.find(':');
    if (colon == std::string_view::npos) {
      // redis://secret@host: the conventional reading is a password without a user.
      target.password = percentDecode(credentials, "password");
    } else {
      target.user = percentDecode(credentials.substr(0, colon), "user");
      target.password = percentDecode(credentials.substr(colon + 1), "password");
    }
    target.hasPassword = true;
  }

  std::string_view hostPort = rest;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    hostPort = rest.substr(0, slash);
    const std::string_view db = rest.substr(slash + 1);
    if (!db.empty()) target.db = parseNumber(db, 0, 100000, "database number");
  }
  std::string_view portText;
  if (!hostPort.empty() && hostPort.front() == '[') {
    const auto close = hostPort.find(']');
    if (close == std::string_view::npos) badUrl("unclosed [ in the host");
    target.host = std::string(hostPort.substr(1, close - 1));
    const std::string_view after = hostPort.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') badUrl("unexpected text after the host");
      portText = after.substr(1);
      if (portText.empty()) badUrl("empty port");
    }
  } else {
    const auto colon = hostPort.find(':');
    target.host = std::string(hostPort.substr(0, colon));
    if (colon != std::string_view::npos) {
      portText = hostPort.substr(colon + 1);
      if (portText.empty()) badUrl("empty port");
    }
  }
  if (target.host.empty()) badUrl("no host");
  if (!portText.empty()) target.port = parseNumber(portText, 1, 65535, "port");
  return target;
}

int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// A reply that is an error from the server (a complete reply: the connection stays usable).
struct ServerError {
  std::string message;
};

/// One open connection: the client, the script's SHA loaded on it, and the store generation it
/// was opened in (a failure bumps the generation so connections from before it are reopened).
struct Connection {
  Poco::Redis::Client client;
  std::string scriptSha;
  uint64_t generation = 0;
};

/// One hit waiting in a lane. It lives on the calling thread's stack; the lane's leader fills in
/// the result and then, under the lane's mutex, publishes it and wakes the caller.
struct Pending {
  enum class State { Waiting, Decided, Failed };

  Pending(const std::string& k, int64_t w, int64_t m, int64_t want) : key(k), windowMs(w), max(m), wanted(want) {}

  const std::string& key;
  const int64_t windowMs;
  const int64_t max;
  const int64_t wanted;    // hits asked for: this one plus a lease
  int64_t granted = 0;     // from the reply
  int64_t ttlMs = 0;       // from the reply: time left in the window
  State result = State::Waiting;  // written by the leader without the lock
  State state = State::Waiting;   // published under the lane's mutex
  Decision decision;
  std::string error;
  std::condition_variable wake;

  void decide(const Decision& d) {
    decision = d;
    result = State::Decided;
  }
  void fail(std::string why) {
    error = std::move(why);
    result = State::Failed;
  }
};

/// One connection and the hits queued for it. Whoever finds the lane without a leader becomes
/// the leader: it takes every queued hit, sends them in one write (a pipeline), reads the
/// replies in order and wakes their callers. Hits arriving meanwhile queue for the next batch,
/// so under load one round trip carries many hits, which is what keeps Redis' and our CPU per
/// hit low; with no load a batch is a single hit and costs one round trip.
struct Lane {
  std::mutex mutex;
  std::vector<Pending*> queue;
  bool leading = false;
  std::atomic<int> load{0};                // queued plus in flight: a hint for picking a lane
  std::unique_ptr<Connection> connection;  // touched only by the leader
  std::vector<Pending*> batch;             // the leader's, reused to avoid allocations
  std::vector<Pending*> noScript;          // the leader's
};

class RedisStore final : public LimitStore {
 public:
  RedisStore(RedisTarget target, const RedisOptions& options)
      : target_(std::move(target)),
        timeout_(static_cast<Poco::Timespan::TimeDiff>(options.timeoutMs) * 1000),
        timeoutMs_(options.timeoutMs),
        keyPrefix_(options.keyPrefix),
        lanes_(static_cast<size_t>(options.poolSize)) {
    for (auto& lane : lanes_) {
      lane = std::make_unique<Lane>();
      lane->queue.reserve(64);
      lane->batch.reserve(64);
    }
  }

  const char* kind() const noexcept override { return "redis"; }

  Decision hit(const std::string& key, int64_t windowMs, int64_t max, int64_t /*nowMs: Redis' clock rules*/) override {
    int64_t knownCount = 0;
    if (auto leased = takeLeased(key, knownCount)) return *leased;
    const bool probing = enterOrFailFast();
    const int64_t wanted = std::clamp((max - knownCount) / kLeaseDivisor, int64_t{1}, kMaxLease);
    Pending pending(key, windowMs, max, wanted);
    Lane& lane = pickLane();
    lane.load.fetch_add(1, std::memory_order_relaxed);
    {
      std::unique_lock lock(lane.mutex);
      lane.queue.push_back(&pending);
      for (;;) {
        if (pending.state != Pending::State::Waiting) break;
        if (!lane.leading) {
          lead(lane, lock, pending);
          break;
        }
        pending.wake.wait(lock);
      }
    }
    lane.load.fetch_sub(1, std::memory_order_relaxed);
    if (pending.state == Pending::State::Failed) throw StoreUnavailable(pending.error);
    if (probing) downUntilMs_.store(0, std::memory_order_release);
    // Always remembered, even without a surplus: the count sizes this key's next lease.
    keepLease(key, pending.granted - 1, pending.decision, steadyMs() + pending.ttlMs);
    return pending.decision;
  }

 private:
  // Allowance granted by Redis and not used yet, per key: `left` hits may pass without asking
  // Redis; `top` (the count Redis reported) sizes the next lease.
  struct Lease {
    int64_t expiresAtMs = 0;  // steady clock; never later than Redis' window end (ttl read after the call)
    int64_t left = 0;
    int64_t top = 0;  // the window's count in Redis after the last grant seen here
  };
  struct LeaseShard {
    std::mutex mutex;
    std::unordered_map<std::string, Lease> leases;
  };

  LeaseShard& shardOf(const std::string& key) { return leaseShards_[std::hash<std::string>{}(key) % kLeaseShards]; }

  // A hit paid from this instance's lease, or nullopt (then `knownCount` is the last count seen).
  std::optional<Decision> takeLeased(const std::string& key, int64_t& knownCount) {
    LeaseShard& shard = shardOf(key);
    std::lock_guard lock(shard.mutex);
    auto it = shard.leases.find(key);
    if (it == shard.leases.end()) return std::nullopt;
    Lease& lease = it->second;
    if (steadyMs() >= lease.expiresAtMs) {
      shard.leases.erase(it);
      return std::nullopt;
    }
    knownCount = lease.top;
    if (lease.left <= 0) return std::nullopt;
    --lease.left;
    Decision decision;
    decision.count = lease.top - lease.left;  // this hit's place among the granted ones
    return decision;
  }

  void keepLease(const std::string& key, int64_t surplus, const Decision& decision, int64_t expiresAtMs) {
    LeaseShard& shard = shardOf(key);
    std::lock_guard lock(shard.mutex);
    // Bounded: a map past its size drops every lease (their allowance is lost for the window,
    // which only ever admits less, never more).
    if (shard.leases.size() >= kMaxLeasesPerShard) shard.leases.clear();
    Lease& lease = shard.leases[key];
    if (steadyMs() >= lease.expiresAtMs) lease = Lease{};
    lease.expiresAtMs = lease.left > 0 ? std::min(lease.expiresAtMs, expiresAtMs) : expiresAtMs;
    lease.left += std::max<int64_t>(0, surplus);
    lease.top = std::max(lease.top, decision.count + std::max<int64_t>(0, surplus));
  }

  // Returns true when this hit is the one probing a store marked down; throws StoreUnavailable
  // at once while the store is down and another hit (or the interval) stands in the way.
  bool enterOrFailFast() {
    int64_t until = downUntilMs_.load(std::memory_order_acquire);
    if (until == 0) return false;
    const int64_t now = steadyMs();
    if (now < until || !downUntilMs_.compare_exchange_strong(until, now + kDownIntervalMs))
      throw StoreUnavailable("Redis at " + target_.address() + " is unavailable (failing fast until it answers again)");
    return true;
  }

  // The first lane with fewer than kLaneShare hits on it (waiting or in flight); when every
  // lane has that many, the least loaded. Filling lanes in order rather than spreading hits
  // over idle ones is what makes batches: a round trip costs far more CPU (syscalls, wake-ups,
  // on both sides) than one more script call in it, and on a busy host CPU is the limit.
  Lane& pickLane() {
    Lane* best = lanes_.front().get();
    int bestLoad = INT32_MAX;
    for (const auto& lane : lanes_) {
      const int load = lane->load.load(std::memory_order_relaxed);
      if (load < kLaneShare) return *lane;
      if (load < bestLoad) {
        best = lane.get();
        bestLoad = load;
      }
    }
    return *best;
  }

  // Runs batches on `lane` until `own` is decided, then hands the lane to a waiting hit, if any.
  // Called and returns with `lock` held; does the I/O without it.
  void lead(Lane& lane, std::unique_lock<std::mutex>& lock, Pending& own) {
    lane.leading = true;
    while (own.state == Pending::State::Waiting) {
      lane.batch.swap(lane.queue);
      lock.unlock();
      runBatch(lane);
      lock.lock();
      for (Pending* p : lane.batch) {
        p->state = p->result;
        if (p != &own) p->wake.notify_one();
      }
      lane.batch.clear();
    }
    lane.leading = false;
    if (!lane.queue.empty()) lane.queue.front()->wake.notify_one();  // the next leader
  }

  // Sends every hit of lane.batch and reads the replies; every hit ends decided or failed.
  void runBatch(Lane& lane) noexcept {
    try {
      bool reused = lane.connection && lane.connection->generation == currentGeneration();
      for (int attempt = 0;; ++attempt) {
        const int64_t started = steadyMs();
        try {
          if (!reused) lane.connection = openConnection();
          exchange(*lane.connection, lane);
          return;
        } catch (const Poco::Exception& e) {
          lane.connection.reset();  // broken or in an unknown state: never reused
          // A pooled connection Redis closed while idle (a restart, its idle timeout) fails at
          // once; one retry on a fresh connection tells that apart from Redis being down. A
          // timeout is not retried: it already cost the whole budget.
          if (reused && attempt == 0 && steadyMs() - started < timeoutMs_ / 2) {
            reused = false;
            continue;
          }
          failRest(lane, markDown("Redis at " + target_.address() + " failed: " + e.displayText()));
          return;
        }
      }
    } catch (const ServerError& e) {
      // AUTH, SELECT or SCRIPT LOAD refused: Redis is up but unusable for us; fail fast as in an outage.
      lane.connection.reset();
      failRest(lane, markDown("Redis at " + target_.address() + " refused the connection set-up: " + e.message));
    } catch (const std::exception& e) {
      lane.connection.reset();
      failRest(lane, "Redis at " + target_.address() + ": " + e.what());
    } catch (...) {
      lane.connection.reset();
      failRest(lane, "Redis at " + target_.address() + ": unknown error");
    }
  }

  static void failRest(Lane& lane, const std::string& why) {
    for (Pending* p : lane.batch)
      if (p->result == Pending::State::Waiting) p->fail(why);
  }

  // One pipeline: every EVALSHA written, flushed once, the replies read in order.
  void exchange(Connection& connection, Lane& lane) {
    Poco::Redis::Client& client = connection.client;
    std::string fullKey;
    for (Pending* p : lane.batch) {
      if (p->result != Pending::State::Waiting) continue;  // decided before a retry
      fullKey.assign(keyPrefix_).append(p->key);
      Poco::Redis::Array command;
      command.add("EVALSHA").add(connection.scriptSha).add("1").add(fullKey).add(std::to_string(p->windowMs)).add(std::to_string(p->max)).add(std::to_string(p->wanted));
      client.execute<void>(command);
    }
    client.flush();
    lane.noScript.clear();
    for (Pending* p : lane.batch) {
      if (p->result != Pending::State::Waiting) continue;
      Poco::Redis::RedisType::Ptr reply = client.readReply();
      if (isError(*reply)) {
        std::string message = errorMessage(*reply);
        // Someone ran SCRIPT FLUSH: EVAL sends the script and caches it again under the same SHA.
        if (message.rfind("NOSCRIPT", 0) == 0) lane.noScript.push_back(p);
        else p->fail("Redis at " + target_.address() + " answered an error: " + message);
        continue;
      }
      decideFrom(*reply, *p);
    }
    for (Pending* p : lane.noScript) {
      fullKey.assign(keyPrefix_).append(p->key);
      Poco::Redis::Array eval;
      eval.add("EVAL").add(std::string(kScript)).add("1").add(fullKey).add(std::to_string(p->windowMs)).add(std::to_string(p->max)).add(std::to_string(p->wanted));
      Poco::Redis::RedisType::Ptr reply = client.sendCommand(eval);
      if (isError(*reply)) p->fail("Redis at " + target_.address() + " answered an error: " + errorMessage(*reply));
      else decideFrom(*reply, *p);
    }
  }

  void decideFrom(const Poco::Redis::RedisType& reply, Pending& p) const {
    if (reply.type() != Poco::Redis::RedisTypeTraits<Poco::Redis::Array>::TypeId) {
      p.fail("Redis at " + target_.address() + " sent an unexpected reply to the rate-limit script");
      return;
    }
    const auto& values = static_cast<const Poco::Redis::Type<Poco::Redis::Array>&>(reply).value();
    if (values.size() != 3) {
      p.fail("Redis at " + target_.address() + " sent an unexpected reply to the rate-limit script");
      return;
    }
    Decision decision;
    decision.count = values.get<Poco::Int64>(0);
    const int64_t ttl = values.get<Poco::Int64>(1);
    p.granted = values.get<Poco::Int64>(2);
    p.ttlMs = ttl;
    decision.allowed = p.granted >= 1;
    if (decision.allowed) decision.count -= p.granted - 1;  // this hit's place in the window
    decision.retryAfterMs = decision.allowed ? 0 : ttl;
    p.decide(decision);
  }

  static bool isError(const Poco::Redis::RedisType& reply) {
    return reply.type() == Poco::Redis::RedisTypeTraits<Poco::Redis::Error>::TypeId;
  }
  static std::string errorMessage(const Poco::Redis::RedisType& reply) {
    return static_cast<const Poco::Redis::Type<Poco::Redis::Error>&>(reply).value().getMessage();
  }

  uint64_t currentGeneration() const noexcept { return generation_.load(std::memory_order_acquire); }

  // Marks the store down for kDownIntervalMs and retires every connection opened before now.
  std::string markDown(std::string why) {
    generation_.fetch_add(1, std::memory_order_acq_rel);
    downUntilMs_.store(steadyMs() + kDownIntervalMs, std::memory_order_release);
    return why;
  }

  std::unique_ptr<Connection> openConnection() {
    auto connection = std::make_unique<Connection>();
    connection->generation = currentGeneration();
    Poco::Redis::Client& client = connection->client;
    client.connect(Poco::Net::SocketAddress(target_.host, static_cast<Poco::UInt16>(target_.port)), timeout_);
    client.setReceiveTimeout(timeout_);
    if (target_.hasPassword) {
      Poco::Redis::Array auth;
      auth.add("AUTH");
      if (!target_.user.empty()) auth.add(target_.user);
      auth.add(target_.password);
      call(client, auth);
    }
    if (target_.db != 0) {
      Poco::Redis::Array select;
      select.add("SELECT").add(std::to_string(target_.db));
      call(client, select);
    }
    Poco::Redis::Array load;
    load.add("SCRIPT").add("LOAD").add(std::string(kScript));
    Poco::Redis::RedisType::Ptr sha = call(client, load);
    if (sha->type() != Poco::Redis::RedisTypeTraits<Poco::Redis::BulkString>::TypeId)
      throw Poco::ProtocolException("unexpected reply to SCRIPT LOAD");
    const auto& value = static_cast<Poco::Redis::Type<Poco::Redis::BulkString>&>(*sha).value();
    if (value.isNull()) throw Poco::ProtocolException("empty reply to SCRIPT LOAD");
    connection->scriptSha = value.value();
    return connection;
  }

  // Sends one command and reads its reply; an error reply becomes ServerError.
  static Poco::Redis::RedisType::Ptr call(Poco::Redis::Client& client, const Poco::Redis::Array& command) {
    Poco::Redis::RedisType::Ptr reply = client.sendCommand(command);
    if (isError(*reply)) throw ServerError{errorMessage(*reply)};
    return reply;
  }

  const RedisTarget target_;
  const Poco::Timespan timeout_;
  const int64_t timeoutMs_;
  const std::string keyPrefix_;

  // 0 while Redis is believed up; otherwise the steady-clock ms before which hits fail fast.
  std::atomic<int64_t> downUntilMs_{0};
  // Bumped by every failure: a lane's connection from an older generation is reopened.
  std::atomic<uint64_t> generation_{0};
  std::vector<std::unique_ptr<Lane>> lanes_;
  static constexpr size_t kMaxLeasesPerShard = 4096;
  std::array<LeaseShard, kLeaseShards> leaseShards_;
};

}  // namespace

std::unique_ptr<LimitStore> makeRedisStore(const RedisOptions& options) {
  RedisTarget target = parseUrl(options.url);
  if (options.poolSize < 1 || options.poolSize > 1024) throw crow::ConfigError("redis.poolSize must be between 1 and 1024");
  if (options.timeoutMs < 1 || options.timeoutMs > 60000) throw crow::ConfigError("redis.timeoutMs must be between 1 and 60000");
  return std::make_unique<RedisStore>(std::move(target), options);
}

}  // namespace crow::rate_limit
