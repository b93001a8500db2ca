#include "server_properties.hpp"

#include "input.hpp"
#include "permissions.hpp"

#include <Poco/JSON/Stringifier.h>

#include <cmath>
#include <sstream>

namespace apikey {

namespace {

constexpr const char* kServerOnly[] = {"remaining",      "refillAmount",        "refillInterval", "rateLimitEnabled",
                                       "rateLimitMax",   "rateLimitTimeWindow", "permissions"};

// An integer ≥ minimum, or null (when allowed); nullopt when absent.
std::optional<crow::Value> wholeNumber(const Poco::JSON::Object& body, const std::string& key, int64_t minimum,
                                       bool nullable) {
  if (!body.has(key)) return std::nullopt;
  if (body.get(key).isEmpty()) {
    if (!nullable) input::invalid("body." + key, "Invalid input: expected number, received null");
    return crow::Value();
  }
  const std::optional<double> number = input::number(body, key, false);
  if (!number || std::floor(*number) != *number || *number < static_cast<double>(minimum) || *number > 9.0e15)
    input::invalid("body." + key, "Expected an integer of at least " + std::to_string(minimum));
  return crow::Value(static_cast<int64_t>(*number));
}

}  // namespace

std::optional<std::string> serviceCaller(const Service& service, const crow::Request& request) {
  if (auto it = request.attributes.find("service-auth.caller"); it != request.attributes.end()) return it->second;
  const std::string* presented = request.header("x-service-api-key");
  if (!presented || presented->empty() || !service.inboundCaller) return std::nullopt;
  return service.inboundCaller(*presented);
}

bool setsServerProperty(const Poco::JSON::Object& body, NullRemaining nullRemaining) {
  for (const char* name : kServerOnly) {
    if (!body.has(name)) continue;
    if (nullRemaining == NullRemaining::Allowed && std::string(name) == "remaining" && body.get(name).isEmpty())
      continue;
    return true;
  }
  return false;
}

crow::Row readServerProperties(const Poco::JSON::Object& body) {
  crow::Row out;
  if (auto v = wholeNumber(body, "remaining", 0, true)) out["remaining"] = *v;
  auto amount = wholeNumber(body, "refillAmount", 1, true);
  auto interval = wholeNumber(body, "refillInterval", 1, true);
  if (amount || interval) {
    const bool amountSet = amount && !crow::isNull(*amount);
    const bool intervalSet = interval && !crow::isNull(*interval);
    if (amountSet != intervalSet)
      input::invalid(amountSet ? "body.refillInterval" : "body.refillAmount",
                     "refillAmount and refillInterval are set together");
    out["refillAmount"] = amount ? *amount : crow::Value();
    out["refillInterval"] = interval ? *interval : crow::Value();
  }
  if (auto enabled = input::boolean(body, "rateLimitEnabled")) out["rateLimitEnabled"] = *enabled;
  if (auto v = wholeNumber(body, "rateLimitTimeWindow", 1, false)) out["rateLimitTimeWindow"] = *v;
  if (auto v = wholeNumber(body, "rateLimitMax", 1, false)) out["rateLimitMax"] = *v;
  if (body.has("permissions")) {
    const Poco::Dynamic::Var given = body.get("permissions");
    if (given.isEmpty()) {
      out["permissions"] = crow::Value();
    } else {
      parsePermissions(given, "body.permissions");  // validates the shape
      std::ostringstream text;
      Poco::JSON::Stringifier::condense(given, text);
      out["permissions"] = text.str();
    }
  }
  return out;
}

}  // namespace apikey
