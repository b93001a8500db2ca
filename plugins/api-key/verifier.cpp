#include "verifier.hpp"

#include "error_codes.hpp"
#include "key_material.hpp"

namespace apikey {

namespace {

// A key is at most a 64-character prefix and 256 letters; anything longer is no key of ours and
// is not worth hashing.
constexpr size_t kMaxKeyBytes = 512;
// Guarded rate-limit writes that lose to a concurrent verify are re-read and retried this often.
constexpr int kMaxRateLimitAttempts = 4;

std::string idOf(const crow::Row& row) { return crow::asString(crow::field(row, "id")).value_or(""); }

crow::Where where(std::string field, crow::Op op, crow::Value value) {
  crow::Where w;
  w.field = std::move(field);
  w.op = op;
  w.value = std::move(value);
  return w;
}

}  // namespace

bool Verifier::rateLimitApplies(const crow::Row& row) const {
  if (!options_.rateLimit.enabled) return false;
  if (crow::asBool(crow::field(row, "rateLimitEnabled")) == false) return false;
  return crow::asInt(crow::field(row, "rateLimitTimeWindow")).has_value() &&
         crow::asInt(crow::field(row, "rateLimitMax")).has_value();
}

bool Verifier::isFastPath(const crow::Row& row) const {
  return crow::isNull(crow::field(row, "remaining")) && !rateLimitApplies(row);
}

crow::Row Verifier::verify(std::string_view key, const Permissions* permissions) {
  if (key.empty() || key.size() > kMaxKeyBytes) throw KeyRejected(401, errors::kInvalidApiKey);
  // The lookup is by the hash, so how close a wrong key was to a right one changes nothing the
  // database or this code does.
  const std::string hash = hashKey(key);
  if (auto cached = cache_.find(hash)) return use(crow::Row(*cached), permissions);
  const uint64_t generation = cache_.generation();
  std::optional<crow::Row> row = store_.findOne(kTable, {crow::eq("key", hash)});
  if (!row) throw KeyRejected(401, errors::kInvalidApiKey);
  if (cache_.enabled() && isFastPath(*row)) cache_.store(hash, *row, generation);
  return use(std::move(*row), permissions);
}

crow::Row Verifier::use(crow::Row row, const Permissions* permissions) {
  const crow::Timestamp now = clock_.now();
  const std::string id = idOf(row);
  if (crow::asBool(crow::field(row, "enabled")) == false) throw KeyRejected(401, errors::kKeyDisabled);
  if (auto expiresAt = crow::asTimestamp(crow::field(row, "expiresAt")); expiresAt && now > *expiresAt) {
    store_.remove(kTable, {crow::eq("id", id)});
    throw KeyRejected(401, errors::kKeyExpired);
  }
  if (permissions && !grants(crow::field(row, "permissions"), *permissions))
    throw KeyRejected(401, errors::kKeyNotFound);
  const auto remaining = crow::asInt(crow::field(row, "remaining"));
  if (remaining && *remaining == 0 && crow::isNull(crow::field(row, "refillAmount"))) {
    store_.remove(kTable, {crow::eq("id", id)});
    throw KeyRejected(429, errors::kUsageExceeded);
  }
  if (isFastPath(row)) {
    row["requestCount"] = usage_.record(id, now, crow::asInt(crow::field(row, "requestCount")).value_or(0));
    row["lastRequest"] = now;
    row["updatedAt"] = now;
    return row;
  }
  return consume(row, now);
}

crow::Row Verifier::consume(const crow::Row& row, crow::Timestamp now) {
  crow::Row result;
  store_.transaction([&](crow::Store& tx) {
    crow::Row current = row;
    if (!crow::isNull(crow::field(current, "remaining"))) current = consumeRemaining(tx, current, now);
    bool touchLastRequest = false;
    current = consumeRateLimit(tx, std::move(current), now, touchLastRequest);
    crow::Row patch{{"updatedAt", now}};
    if (touchLastRequest) patch["lastRequest"] = now;
    auto final = tx.update(kTable, {crow::eq("id", idOf(row))}, patch);
    if (!final) throw KeyRejected(401, errors::kInvalidApiKey);
    result = std::move(*final);
  });
  return result;
}

crow::Row Verifier::consumeRemaining(crow::Store& tx, const crow::Row& row, crow::Timestamp now) {
  const std::string id = idOf(row);
  const auto refillInterval = crow::asInt(crow::field(row, "refillInterval"));
  const auto refillAmount = crow::asInt(crow::field(row, "refillAmount"));
  if (refillInterval && *refillInterval != 0 && refillAmount && *refillAmount != 0) {
    const crow::Value& lastRefill = crow::field(row, "lastRefillAt");
    const auto since = crow::asTimestamp(lastRefill).value_or(
        crow::asTimestamp(crow::field(row, "createdAt")).value_or(crow::Timestamp{0}));
    if (now.epochMs - since.epochMs > *refillInterval) {
      // One verify wins the refill: the guard is the lastRefillAt it saw.
      auto refilled = tx.update(kTable, {crow::eq("id", id), crow::eq("lastRefillAt", lastRefill)},
                                {{"remaining", *refillAmount - 1}, {"lastRefillAt", now}});
      if (refilled) return *refilled;
    }
  }
  auto decremented = tx.increment(kTable, {crow::eq("id", id), where("remaining", crow::Op::Gt, int64_t{0})},
                                  {{"remaining", -1}});
  if (!decremented) throw KeyRejected(429, errors::kUsageExceeded);
  return *decremented;
}

crow::Row Verifier::consumeRateLimit(crow::Store& tx, crow::Row row, crow::Timestamp now, bool& touchLastRequest) {
  for (int attempt = 0; attempt < kMaxRateLimitAttempts; ++attempt) {
    if (!options_.rateLimit.enabled || crow::asBool(crow::field(row, "rateLimitEnabled")) == false) {
      touchLastRequest = true;
      return row;
    }
    const auto window = crow::asInt(crow::field(row, "rateLimitTimeWindow"));
    const auto max = crow::asInt(crow::field(row, "rateLimitMax"));
    if (!window || !max) return row;
    const std::string id = idOf(row);
    const crow::Value& lastRequestValue = crow::field(row, "lastRequest");
    const auto lastRequest = crow::asTimestamp(lastRequestValue);
    const crow::Timestamp windowStart{now.epochMs - *window};
    std::optional<crow::Row> claimed;
    if (!lastRequest) {
      claimed = tx.update(kTable, {crow::eq("id", id), crow::eq("lastRequest", crow::Value{})},
                          {{"requestCount", int64_t{1}}, {"lastRequest", now}});
    } else if (now.epochMs - lastRequest->epochMs > *window) {
      claimed = tx.update(kTable, {crow::eq("id", id), where("lastRequest", crow::Op::Lte, windowStart)},
                          {{"requestCount", int64_t{1}}, {"lastRequest", now}});
    } else if (crow::asInt(crow::field(row, "requestCount")).value_or(0) >= *max) {
      throw KeyRejected(429, errors::kRateLimited, *window - (now.epochMs - lastRequest->epochMs));
    } else {
      // requestCount < max is the guard that makes a burst unable to pass the limit.
      claimed = tx.increment(kTable,
                             {crow::eq("id", id), where("lastRequest", crow::Op::Gt, windowStart),
                              where("requestCount", crow::Op::Lt, *max)},
                             {{"requestCount", 1}});
      if (claimed) claimed = tx.update(kTable, {crow::eq("id", id)}, {{"lastRequest", now}});
    }
    if (claimed) return *claimed;
    auto fresh = tx.findOne(kTable, {crow::eq("id", id)});
    if (!fresh) throw KeyRejected(401, errors::kInvalidApiKey);
    row = std::move(*fresh);
  }
  throw KeyRejected(429, errors::kRateLimited, crow::asInt(crow::field(row, "rateLimitTimeWindow")).value_or(0));
}

}  // namespace apikey
