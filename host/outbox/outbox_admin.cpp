#include "outbox/outbox_admin.hpp"

#include "outbox/outbox_table.hpp"

namespace crow::host {

namespace t = outbox_table;

namespace {

std::string text(const crow::Row& row, const char* name) { return crow::asString(crow::field(row, name)).value_or(""); }

crow::Row replayPatch(crow::Timestamp now) {
  return crow::Row{
      {t::kStatus, std::string(t::kPending)},
      {t::kAttempts, int64_t{0}},
      {t::kNextAttemptAt, now},
      {t::kLeaseUntil, std::monostate{}},
      {t::kLeaseOwner, std::monostate{}},
      {t::kUpdatedAt, now},
  };
}

}  // namespace

bool isOutboxStatus(const std::string& status) {
  return status == t::kPending || status == t::kDelivering || status == t::kDelivered || status == t::kDead;
}

std::vector<OutboxEntry> listOutbox(crow::Store& store, const std::string& status, int64_t limit) {
  crow::FindOptions options;
  if (!status.empty() && status != "all") options.where = {crow::eq(t::kStatus, status)};
  // Ids start with the enqueue time, so id order is age order.
  options.sortBy = crow::SortBy{t::kId, true};
  options.limit = limit;
  options.select = {t::kId,       t::kDestination, t::kEventType,     t::kAggregateId, t::kStatus,
                    t::kAttempts, t::kLastError,   t::kNextAttemptAt, t::kCreatedAt};
  std::vector<OutboxEntry> out;
  for (const auto& row : store.findMany(t::kTable, options)) {
    OutboxEntry e;
    e.id = text(row, t::kId);
    e.destination = text(row, t::kDestination);
    e.eventType = text(row, t::kEventType);
    e.aggregateId = text(row, t::kAggregateId);
    e.status = text(row, t::kStatus);
    e.attempts = crow::asInt(crow::field(row, t::kAttempts)).value_or(0);
    e.lastError = text(row, t::kLastError);
    e.nextAttemptAt = crow::asTimestamp(crow::field(row, t::kNextAttemptAt));
    e.createdAt = crow::asTimestamp(crow::field(row, t::kCreatedAt));
    out.push_back(std::move(e));
  }
  return out;
}

ReplayOutcome replayDead(crow::Store& store, const crow::Clock& clock, const std::string& id) {
  ReplayOutcome outcome;
  outcome.id = id;
  // Conditional on 'dead', so a message a worker is delivering right now is never reset under it.
  if (store.update(t::kTable, {crow::eq(t::kId, id), crow::eq(t::kStatus, std::string(t::kDead))},
                   replayPatch(clock.now()))) {
    outcome.kind = ReplayOutcome::Kind::Replayed;
    outcome.status = t::kPending;
    return outcome;
  }
  auto row = store.findOne(t::kTable, {crow::eq(t::kId, id)});
  if (!row) return outcome;
  outcome.kind = ReplayOutcome::Kind::NotDead;
  outcome.status = text(*row, t::kStatus);
  return outcome;
}

int64_t replayAllDead(crow::Store& store, const crow::Clock& clock) {
  return store.updateMany(t::kTable, {crow::eq(t::kStatus, std::string(t::kDead))}, replayPatch(clock.now()));
}

}  // namespace crow::host
