// Value helpers and the ISO-8601 date format Better Auth stores (JavaScript's toISOString).
#include "crow/store.hpp"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace crow {

namespace {

bool readDigits(std::string_view s, size_t pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm), so parsing
// does not depend on the process's time zone.
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// The inverse of daysFromCivil (same source).
void civilFromDays(int64_t days, int64_t& y, unsigned& m, unsigned& d) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
}

void putDigits(char* out, unsigned value, int count) {
  for (int i = count - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

// Every row a response shows formats its dates here, so this avoids gmtime_r (which takes glibc's
// time zone lock even for UTC) and printf.
std::string toIsoString(Timestamp t) {
  int64_t ms = t.epochMs % 1000;
  int64_t secs = t.epochMs / 1000;
  if (ms < 0) {
    ms += 1000;
    secs -= 1;
  }
  const int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  const auto secondOfDay = static_cast<unsigned>(secs - days * 86400);
  int64_t year = 0;
  unsigned month = 0, day = 0;
  civilFromDays(days, year, month, day);
  if (year >= 0 && year <= 9999) {
    std::string out = "0000-00-00T00:00:00.000Z";
    putDigits(out.data(), static_cast<unsigned>(year), 4);
    putDigits(out.data() + 5, month, 2);
    putDigits(out.data() + 8, day, 2);
    putDigits(out.data() + 11, secondOfDay / 3600, 2);
    putDigits(out.data() + 14, secondOfDay / 60 % 60, 2);
    putDigits(out.data() + 17, secondOfDay % 60, 2);
    putDigits(out.data() + 20, static_cast<unsigned>(ms), 3);
    return out;
  }
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::optional<Timestamp> parseIsoString(std::string_view s) {
  if (s.empty()) return std::nullopt;
  // Epoch milliseconds, as some adapters store dates.
  bool allDigits = true;
  for (char c : s) allDigits = allDigits && std::isdigit(static_cast<unsigned char>(c));
  if (allDigits) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return Timestamp{v};
  }
  int year, month, day, hour = 0, minute = 0, second = 0, millis = 0;
  if (!readDigits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !readDigits(s, 5, 2, month) || s[7] != '-' ||
      !readDigits(s, 8, 2, day))
    return std::nullopt;
  size_t pos = 10;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    if (!readDigits(s, pos + 1, 2, hour) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !readDigits(s, pos + 4, 2, minute))
      return std::nullopt;
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!readDigits(s, pos + 1, 2, second)) return std::nullopt;
      pos += 3;
    }
    if (pos < s.size() && s[pos] == '.') {
      // Keep milliseconds; ignore finer digits.
      size_t start = ++pos;
      int scale = 100;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
        if (pos - start < 3) millis += (s[pos] - '0') * scale, scale /= 10;
        ++pos;
      }
      if (pos == start) return std::nullopt;
    }
  }
  int64_t offsetMinutes = 0;
  if (pos < s.size()) {
    std::string_view zone = s.substr(pos);
    if (zone == "Z" || zone == "z") {
      // UTC
    } else if ((zone[0] == '+' || zone[0] == '-') && (zone.size() == 6 || zone.size() == 5 || zone.size() == 3)) {
      int oh = 0, om = 0;
      if (!readDigits(zone, 1, 2, oh)) return std::nullopt;
      if (zone.size() == 6 && (zone[3] != ':' || !readDigits(zone, 4, 2, om))) return std::nullopt;
      if (zone.size() == 5 && !readDigits(zone, 3, 2, om)) return std::nullopt;
      offsetMinutes = (oh * 60 + om) * (zone[0] == '-' ? -1 : 1);
    } else {
      return std::nullopt;
    }
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  return Timestamp{secs * 1000 + millis};
}

bool isNull(const Value& v) noexcept { return std::holds_alternative<std::monostate>(v); }

std::optional<std::string> asString(const Value& v) {
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto b = std::get_if<bool>(&v)) return std::string(*b ? "true" : "false");
  if (auto d = std::get_if<double>(&v)) return std::to_string(*d);
  if (auto t = std::get_if<Timestamp>(&v)) return toIsoString(*t);
  return std::nullopt;
}

std::optional<int64_t> asInt(const Value& v) {
  if (auto i = std::get_if<int64_t>(&v)) return *i;
  if (auto b = std::get_if<bool>(&v)) return *b ? 1 : 0;
  if (auto d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (auto t = std::get_if<Timestamp>(&v)) return t->epochMs;
  if (auto s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc() && p == s->data() + s->size()) return out;
  }
  return std::nullopt;
}

std::optional<bool> asBool(const Value& v) {
  if (auto b = std::get_if<bool>(&v)) return *b;
  if (auto i = std::get_if<int64_t>(&v)) return *i != 0;
  if (auto s = std::get_if<std::string>(&v)) {
    if (*s == "1" || *s == "true" || *s == "t") return true;
    if (*s == "0" || *s == "false" || *s == "f") return false;
  }
  return std::nullopt;
}

std::optional<Timestamp> asTimestamp(const Value& v) {
  if (auto t = std::get_if<Timestamp>(&v)) return *t;
  if (auto i = std::get_if<int64_t>(&v)) return Timestamp{*i};
  if (auto s = std::get_if<std::string>(&v)) return parseIsoString(*s);
  return std::nullopt;
}

const Value& field(const Row& row, const std::string& name) {
  static const Value null{};
  auto it = row.find(name);
  return it == row.end() ? null : it->second;
}

Where eq(std::string field, Value value) {
  Where w;
  w.field = std::move(field);
  w.op = Op::Eq;
  w.value = std::move(value);
  return w;
}

}  // namespace crow
