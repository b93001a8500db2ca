#include "cli/outbox_command.hpp"

#include "outbox/outbox_admin.hpp"
#include "util/json_text.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace crow::host {

namespace {

// A table cell stays on one line and within reason: a last error can be a long exception text.
std::string cell(const std::string& text, size_t max = 60) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (out.size() > max) out = out.substr(0, max - 3) + "...";
  return out.empty() ? "-" : out;
}

std::string iso(const std::optional<crow::Timestamp>& t) { return t ? crow::toIsoString(*t) : std::string(); }

// Only a message still waiting has a next attempt worth showing.
std::string nextAttempt(const OutboxEntry& e) {
  return (e.status == "pending" || e.status == "delivering") ? iso(e.nextAttemptAt) : std::string();
}

void printTable(const std::vector<OutboxEntry>& entries, std::ostream& out) {
  using Row = std::array<std::string, 8>;
  std::vector<Row> rows{{"ID", "DESTINATION", "EVENT", "AGGREGATE", "STATUS", "ATTEMPTS", "LAST ERROR", "NEXT ATTEMPT"}};
  for (const auto& e : entries)
    rows.push_back({cell(e.id), cell(e.destination), cell(e.eventType), cell(e.aggregateId, 40), cell(e.status),
                    std::to_string(e.attempts), cell(e.lastError), cell(nextAttempt(e))});
  std::array<size_t, 8> width{};
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    out << line << "\n";
  }
}

void printJson(const std::vector<OutboxEntry>& entries, std::ostream& out) {
  std::string text = "[";
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    if (i) text += ",";
    auto field = [&](const char* name, const std::string& value, bool first = false) {
      if (!first) text += ",";
      appendJsonString(text, name);
      text += ":";
      appendJsonString(text, value);
    };
    text += "{";
    field("id", e.id, true);
    field("destination", e.destination);
    field("eventType", e.eventType);
    field("aggregateId", e.aggregateId);
    field("status", e.status);
    text += ",\"attempts\":" + std::to_string(e.attempts);
    field("lastError", e.lastError);
    field("nextAttemptAt", nextAttempt(e));
    field("createdAt", iso(e.createdAt));
    text += "}";
  }
  out << text << "]\n";
}

int replay(const OutboxArgs& args, crow::Store& store, const crow::Clock& clock, std::ostream& out, std::ostream& err) {
  if (args.allDead) {
    const int64_t n = replayAllDead(store, clock);
    out << "replayed " << n << " dead message" << (n == 1 ? "" : "s") << "\n";
    return 0;
  }
  int code = 0;
  for (const auto& id : args.ids) {
    const ReplayOutcome outcome = replayDead(store, clock, id);
    switch (outcome.kind) {
      case ReplayOutcome::Kind::Replayed:
        out << "replayed " << id << "\n";
        break;
      case ReplayOutcome::Kind::Unknown:
        err << "crow-auth: outbox: no message " << cell(id) << "\n";
        code = 1;
        break;
      case ReplayOutcome::Kind::NotDead:
        err << "crow-auth: outbox: message " << id << " is " << outcome.status << ", not dead; not replayed\n";
        code = 1;
        break;
    }
  }
  return code;
}

}  // namespace

int runOutboxCommand(const OutboxArgs& args, crow::Store& store, const crow::Clock& clock, std::ostream& out,
                     std::ostream& err) {
  if (args.action == OutboxArgs::Action::Replay) return replay(args, store, clock, out, err);
  const auto entries = listOutbox(store, args.status, args.limit);
  if (args.json) {
    printJson(entries, out);
  } else if (entries.empty()) {
    out << "no " << (args.status == "all" ? std::string() : args.status + " ") << "messages\n";
  } else {
    printTable(entries, out);
  }
  return 0;
}

}  // namespace crow::host
