#include "outbox/outcomes.hpp"

#include "outbox/outbox_table.hpp"

namespace crow::host {

namespace t = outbox_table;

namespace {

// lastError is shown to operators; keep it one short line.
std::string shortReason(const std::string& reason) {
  constexpr size_t kMax = 300;
  std::string line = reason.substr(0, kMax);
  for (char& c : line)
    if (c == '\r' || c == '\n') c = ' ';
  return line;
}

}  // namespace

OutboxOutcomes::OutboxOutcomes(crow::Store& store) : store_(store) {}

bool OutboxOutcomes::settle(const ClaimedMessage& message, const crow::Row& patch) {
  return store_.update(t::kTable,
                       {crow::eq(t::kId, message.id), crow::eq(t::kLeaseOwner, message.leaseOwner),
                        crow::eq(t::kStatus, std::string(t::kDelivering))},
                       patch)
      .has_value();
}

bool OutboxOutcomes::delivered(const ClaimedMessage& message, crow::Timestamp now) {
  return settle(message, {{t::kStatus, std::string(t::kDelivered)},
                          {t::kDeliveredAt, now},
                          {t::kLeaseUntil, crow::Value{}},
                          {t::kLeaseOwner, crow::Value{}},
                          {t::kUpdatedAt, now}});
}

bool OutboxOutcomes::retryLater(const ClaimedMessage& message, crow::Timestamp now, crow::Timestamp nextAttemptAt,
                                const std::string& reason) {
  return settle(message, {{t::kStatus, std::string(t::kPending)},
                          {t::kAttempts, int64_t{message.attempts} + 1},
                          {t::kNextAttemptAt, nextAttemptAt},
                          {t::kLastError, shortReason(reason)},
                          {t::kLeaseUntil, crow::Value{}},
                          {t::kLeaseOwner, crow::Value{}},
                          {t::kUpdatedAt, now}});
}

bool OutboxOutcomes::dead(const ClaimedMessage& message, crow::Timestamp now, const std::string& reason) {
  return settle(message, {{t::kStatus, std::string(t::kDead)},
                          {t::kAttempts, int64_t{message.attempts} + 1},
                          {t::kLastError, shortReason(reason)},
                          {t::kLeaseUntil, crow::Value{}},
                          {t::kLeaseOwner, crow::Value{}},
                          {t::kUpdatedAt, now}});
}

bool OutboxOutcomes::postponed(const ClaimedMessage& message, crow::Timestamp now, crow::Timestamp nextAttemptAt,
                               const std::string& reason) {
  return settle(message, {{t::kStatus, std::string(t::kPending)},
                          {t::kNextAttemptAt, nextAttemptAt},
                          {t::kLastError, shortReason(reason)},
                          {t::kLeaseUntil, crow::Value{}},
                          {t::kLeaseOwner, crow::Value{}},
                          {t::kUpdatedAt, now}});
}

}  // namespace crow::host
