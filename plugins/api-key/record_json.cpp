#include "record_json.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace apikey {

namespace {

void appendString(std::string& out, const crow::Row& row, const char* name) {
  if (auto s = crow::asString(crow::field(row, name)))
    appendJsonString(out, *s);
  else
    out += "null";
}

void appendInt(std::string& out, const crow::Row& row, const char* name) {
  if (auto v = crow::asInt(crow::field(row, name)))
    out += std::to_string(*v);
  else
    out += "null";
}

void appendBool(std::string& out, const crow::Row& row, const char* name) {
  if (auto v = crow::asBool(crow::field(row, name)))
    out += *v ? "true" : "false";
  else
    out += "null";
}

void appendDate(std::string& out, const crow::Row& row, const char* name) {
  if (auto t = crow::asTimestamp(crow::field(row, name))) {
    out += '"';
    out += crow::toIsoString(*t);
    out += '"';
  } else {
    out += "null";
  }
}

void appendObject(std::string& out, const crow::Row& row, const char* name) {
  if (auto json = storedObjectJson(crow::field(row, name)))
    out += *json;
  else
    out += "null";
}

Poco::Dynamic::Var parseOrdered(const std::string& text) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  return parser.parse(text);
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

std::optional<std::string> storedObjectJson(const crow::Value& stored) {
  auto text = crow::asString(stored);
  if (!text || text->empty() || *text == "null") return std::nullopt;
  try {
    Poco::Dynamic::Var value;
    if (text->front() == '"') {
      // Metadata an older Better Auth stored twice stringified: a JSON string holding the object.
      // Poco's parser takes no top-level scalar, so read it as the element of an array.
      auto wrapped = parseOrdered("[" + *text + "]").extract<Poco::JSON::Array::Ptr>();
      if (!wrapped || wrapped->size() != 1 || !wrapped->get(0).isString()) return std::nullopt;
      value = parseOrdered(wrapped->get(0).extract<std::string>());
    } else {
      value = parseOrdered(*text);
    }
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) return std::nullopt;
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
  } catch (const Poco::Exception&) {
    return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void appendRecordJson(std::string& out, const crow::Row& row, const std::string* plaintextKey) {
  out += "{\"configId\":";
  appendString(out, row, "configId");
  out += ",\"name\":";
  appendString(out, row, "name");
  out += ",\"start\":";
  appendString(out, row, "start");
  out += ",\"referenceId\":";
  appendString(out, row, "referenceId");
  out += ",\"prefix\":";
  appendString(out, row, "prefix");
  if (plaintextKey) {
    out += ",\"key\":";
    appendJsonString(out, *plaintextKey);
  }
  out += ",\"refillInterval\":";
  appendInt(out, row, "refillInterval");
  out += ",\"refillAmount\":";
  appendInt(out, row, "refillAmount");
  out += ",\"lastRefillAt\":";
  appendDate(out, row, "lastRefillAt");
  out += ",\"enabled\":";
  appendBool(out, row, "enabled");
  out += ",\"rateLimitEnabled\":";
  appendBool(out, row, "rateLimitEnabled");
  out += ",\"rateLimitTimeWindow\":";
  appendInt(out, row, "rateLimitTimeWindow");
  out += ",\"rateLimitMax\":";
  appendInt(out, row, "rateLimitMax");
  out += ",\"requestCount\":";
  appendInt(out, row, "requestCount");
  out += ",\"remaining\":";
  appendInt(out, row, "remaining");
  out += ",\"lastRequest\":";
  appendDate(out, row, "lastRequest");
  out += ",\"expiresAt\":";
  appendDate(out, row, "expiresAt");
  out += ",\"createdAt\":";
  appendDate(out, row, "createdAt");
  out += ",\"updatedAt\":";
  appendDate(out, row, "updatedAt");
  out += ",\"permissions\":";
  appendObject(out, row, "permissions");
  out += ",\"metadata\":";
  appendObject(out, row, "metadata");
  out += ",\"id\":";
  appendString(out, row, "id");
  out += '}';
}

}  // namespace apikey
