#include "outbox/claims.hpp"

#include "outbox/outbox_table.hpp"

#include "crypto/random.hpp"

namespace crow::host {

namespace t = outbox_table;

namespace {

crow::Where where(std::string field, crow::Op op, crow::Value value, crow::Connector connector = crow::Connector::And) {
  crow::Where w;
  w.field = std::move(field);
  w.op = op;
  w.value = std::move(value);
  w.connector = connector;
  return w;
}

crow::Where inUnfinishedStates() {
  crow::Where w;
  w.field = t::kStatus;
  w.op = crow::Op::In;
  w.values = {std::string(t::kPending), std::string(t::kDelivering)};
  return w;
}

std::string text(const crow::Row& row, const char* name) { return crow::asString(crow::field(row, name)).value_or(""); }

}  // namespace

OutboxClaims::OutboxClaims(crow::Store& store, std::chrono::milliseconds lease) : store_(store), lease_(lease) {}

std::vector<crow::Row> OutboxClaims::dueAfter(crow::Timestamp now, const std::string& afterId, int64_t limit) {
  crow::FindOptions options;
  // A claim moves nextAttemptAt to the end of its lease, so "due" covers both fresh messages and
  // those whose claimer vanished.
  options.where = {inUnfinishedStates(), where(t::kNextAttemptAt, crow::Op::Lte, now)};
  if (!afterId.empty()) options.where.push_back(where(t::kId, crow::Op::Gt, afterId));
  options.sortBy = crow::SortBy{t::kId, false};
  options.limit = limit;
  options.select = {t::kId, t::kAggregateId};
  return store_.findMany(t::kTable, options);
}

bool OutboxClaims::waitsForOlderMessage(const std::string& id, const std::string& aggregateId) {
  return store_.count(t::kTable, {crow::eq(t::kAggregateId, aggregateId), inUnfinishedStates(),
                                  where(t::kId, crow::Op::Lt, id)}) > 0;
}

std::optional<ClaimedMessage> OutboxClaims::claim(const std::string& id, crow::Timestamp now) {
  const crow::Timestamp leaseUntil{now.epochMs + lease_.count()};
  const std::string token = randomId(24);
  // Clauses fold left to right: ((pending OR lease expired) AND unfinished AND due AND id = X).
  const std::vector<crow::Where> condition{
      where(t::kStatus, crow::Op::Eq, std::string(t::kPending)),
      where(t::kLeaseUntil, crow::Op::Lt, now, crow::Connector::Or),
      inUnfinishedStates(),
      where(t::kNextAttemptAt, crow::Op::Lte, now),
      crow::eq(t::kId, id),
  };
  const crow::Row patch{
      {t::kStatus, std::string(t::kDelivering)},
      {t::kLeaseUntil, leaseUntil},
      {t::kNextAttemptAt, leaseUntil},
      {t::kLeaseOwner, token},
      {t::kUpdatedAt, now},
  };
  auto row = store_.update(t::kTable, condition, patch);
  if (!row || text(*row, t::kLeaseOwner) != token) return std::nullopt;
  ClaimedMessage message;
  message.id = text(*row, t::kId);
  message.destination = text(*row, t::kDestination);
  message.path = text(*row, t::kPath);
  message.aggregateId = text(*row, t::kAggregateId);
  message.eventType = text(*row, t::kEventType);
  message.payload = text(*row, t::kPayload);
  message.idempotencyKey = text(*row, t::kIdempotencyKey);
  message.attempts = static_cast<int>(crow::asInt(crow::field(*row, t::kAttempts)).value_or(0));
  message.leaseOwner = token;
  message.leaseUntil = leaseUntil;
  return message;
}

}  // namespace crow::host
