#include "usage_batcher.hpp"

#include <algorithm>
#include <chrono>
#include <exception>

namespace apikey {

namespace {
// Past this many distinct pending keys a failing database would make the map grow without end;
// counts beyond it are dropped (they are statistics, never limits).
constexpr size_t kMaxPendingKeys = 100'000;
}  // namespace

UsageBatcher::UsageBatcher(crow::Store& store, crow::Logger& logger, int64_t flushMs)
    : store_(store), logger_(logger), flushMs_(flushMs) {}

UsageBatcher::~UsageBatcher() { stop(); }

int64_t UsageBatcher::record(const std::string& id, crow::Timestamp at, int64_t storedCount) {
  std::lock_guard lock(mutex_);
  auto it = pending_.find(id);
  if (it == pending_.end()) {
    if (pending_.size() >= kMaxPendingKeys) return storedCount + 1;
    it = pending_.emplace(id, Pending{}).first;
  }
  it->second.count += 1;
  if (at > it->second.last) it->second.last = at;
  // Both terms are at most the true count: the stored count and the pending uses never overlap
  // (a batch leaves pending_ before its write commits), and every use adds one to the truth.
  int64_t floor = 0;
  if (auto before = reportedBefore_.find(id); before != reportedBefore_.end()) floor = before->second;
  auto now = reported_.find(id);
  if (now != reported_.end()) floor = std::max(floor, now->second);
  const int64_t count = std::max(storedCount + it->second.count, floor + 1);
  if (now != reported_.end())
    now->second = count;
  else if (reported_.size() < kMaxPendingKeys)
    reported_.emplace(id, count);
  return count;
}

void UsageBatcher::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::milliseconds(flushMs_), [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      flush();
      lock.lock();
    }
  });
}

void UsageBatcher::stop() noexcept {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  flush();
}

void UsageBatcher::flush() noexcept {
  std::lock_guard flushing(flushMutex_);
  std::unordered_map<std::string, Pending> batch;
  {
    std::lock_guard lock(mutex_);
    reportedBefore_ = std::move(reported_);
    reported_.clear();
    if (pending_.empty()) return;
    batch.swap(pending_);
  }
  try {
    store_.transaction([&](crow::Store& tx) {
      for (const auto& [id, use] : batch) {
        // A key deleted meanwhile matches nothing: its counts go with it.
        if (!tx.increment("apikey", {crow::eq("id", id)}, {{"requestCount", use.count}})) continue;
        tx.update("apikey", {crow::eq("id", id)}, {{"lastRequest", use.last}, {"updatedAt", use.last}});
      }
    });
  } catch (const std::exception& e) {
    logger_.warn("api-key usage counts not written; kept for the next flush",
                 {{"keys", std::to_string(batch.size())}, {"error", e.what()}});
    std::lock_guard lock(mutex_);
    for (const auto& [id, use] : batch) {
      auto it = pending_.find(id);
      if (it == pending_.end()) {
        if (pending_.size() >= kMaxPendingKeys) continue;
        it = pending_.emplace(id, Pending{}).first;
      }
      it->second.count += use.count;
      if (use.last > it->second.last) it->second.last = use.last;
    }
  }
}

}  // namespace apikey
