// lifecycle_routes.cpp - create, get, update, delete, list and delete-all-expired-api-keys, with
// @better-auth/api-key's shapes, key order and errors (CONTRACT.md §6). A key's owner
// (referenceId) is always the user who made it; an organization's keys carry the organization in
// metadata.organizationId and are managed by its members whose role allows it.
#include "error_codes.hpp"
#include "input.hpp"
#include "key_material.hpp"
#include "record_json.hpp"
#include "server_properties.hpp"
#include "service.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace apikey {

namespace {

constexpr size_t kMaxMetadataBytes = 16 * 1024;
constexpr size_t kMaxIdBytes = 256;
constexpr int64_t kMaxListed = 10'000;

void sendJson(crow::Response& response, std::string body, int status = 200) {
  response.text(std::move(body), status, "application/json");
}

std::string userIdOf(const crow::CurrentSession& session) {
  return crow::asString(crow::field(session.user, "id")).value_or("");
}

bool isPrefixText(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  return true;
}

void checkId(const std::string& value, const std::string& field) {
  if (value.size() > kMaxIdBytes) input::invalid(field, "Invalid value");
  for (unsigned char c : value)
    if (c < 0x20 || c == 0x7f) input::invalid(field, "Invalid value");
}

// Better Auth measures names in UTF-16 code units; counting code points is the same for every
// name outside the astral planes and never splits a character.
int64_t textLength(const std::string& s) {
  int64_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) n += (c >= 0xF0) ? 2 : 1;
  return n;
}

std::string condensed(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(object, out);
  return out.str();
}

// The metadata a client sent: nullptr for none (absent or null); 400 for a non-object.
Poco::JSON::Object::Ptr metadataInput(const Poco::JSON::Object& body) {
  if (!body.has("metadata") || body.get("metadata").isEmpty()) return nullptr;
  const Poco::Dynamic::Var v = body.get("metadata");
  if (v.type() != typeid(Poco::JSON::Object::Ptr)) throw crow::ApiError(400, errors::kInvalidMetadataType);
  auto object = v.extract<Poco::JSON::Object::Ptr>();
  if (condensed(object).size() > kMaxMetadataBytes)
    input::invalid("body.metadata", "Metadata must be at most 16384 bytes as JSON");
  return object;
}

std::optional<std::string> metadataOrganization(const Poco::JSON::Object::Ptr& metadata) {
  if (!metadata || !metadata->has("organizationId")) return std::nullopt;
  const Poco::Dynamic::Var v = metadata->get("organizationId");
  if (v.isEmpty()) return std::nullopt;
  if (!v.isString()) input::invalid("body.metadata.organizationId", "Invalid input: expected string, received " + input::typeName(v));
  return v.extract<std::string>();
}

// expiresIn (seconds) against keyExpiration; returns the expiry or nullopt for "never".
std::optional<crow::Timestamp> expiryFor(const Service& s, std::optional<double> expiresIn, crow::Timestamp now) {
  if (!expiresIn) return std::nullopt;
  if (s.options.keyExpiration.disableCustomExpiresTime) throw crow::ApiError(400, errors::kKeyDisabledExpiration);
  const double days = *expiresIn / 86400.0;
  if (days < static_cast<double>(s.options.keyExpiration.minExpiresInDays))
    throw crow::ApiError(400, errors::kExpiresInTooSmall);
  if (days > static_cast<double>(s.options.keyExpiration.maxExpiresInDays))
    throw crow::ApiError(400, errors::kExpiresInTooLarge);
  return crow::Timestamp{now.epochMs + static_cast<int64_t>(std::llround(*expiresIn * 1000.0))};
}

void checkName(const Service& s, const std::string& name) {
  const int64_t length = textLength(name);
  if (length < s.options.minimumNameLength || length > s.options.maximumNameLength)
    throw crow::ApiError(400, errors::kInvalidNameLength);
}

// The key a signed-in user names, after the ownership rules: their own personal key, or a key of
// an organization where their role allows `action`. Anything else is 404 as Better Auth answers.
crow::Row keyFor(const Service& s, const std::string& id, const std::string& userId, const std::string& action) {
  auto row = s.store.findOne(kTable, {crow::eq("id", id)});
  if (!row) throw crow::ApiError(404, errors::kKeyNotFound);
  if (auto organization = organizationOf(*row)) {
    requireOrganizationAccess(s, userId, *organization, action);
  } else if (crow::asString(crow::field(*row, "referenceId")).value_or("") != userId) {
    throw crow::ApiError(404, errors::kKeyNotFound);
  }
  return *row;
}

// The user a platform service names for a key (it has no session of its own): 404 when unknown.
std::string namedUser(const Service& s, const Poco::JSON::Object& body) {
  const std::string userId = input::requiredString(body, "userId");
  checkId(userId, "body.userId");
  if (!s.store.findOne("user", {crow::eq("id", userId)})) throw crow::ApiError(404, errors::kUserNotFound);
  return userId;
}

void createKey(Service& s, crow::Request& request, crow::Response& response) {
  Poco::JSON::Object::Ptr body = request.json();
  // A platform service (X-Service-API-Key) is Better Auth's server code: it names the user and may
  // set the server-only properties. Everyone else may not.
  const std::optional<std::string> service = serviceCaller(s, request);
  if (!service) {
    if (setsServerProperty(*body, NullRemaining::Allowed)) throw crow::ApiError(400, errors::kServerOnlyProperty);
    if (body->has("userId")) throw crow::ApiError(401, errors::kUnauthorizedSession);
  }
  const crow::Row serverProperties = service ? readServerProperties(*body) : crow::Row{};
  input::string(*body, "configId");
  const auto name = input::string(*body, "name");
  const auto expiresIn = input::number(*body, "expiresIn", true);
  if (expiresIn && *expiresIn < 1) input::invalid("body.expiresIn", "Too small: expected number to be >=1");
  const auto prefix = input::string(*body, "prefix");
  if (prefix && !isPrefixText(*prefix))
    input::invalid("body.prefix", "Invalid prefix format, must be alphanumeric and contain only underscores and hyphens.");
  auto organizationId = input::string(*body, "organizationId");
  if (organizationId) checkId(*organizationId, "body.organizationId");

  std::string userId;
  if (service) {
    userId = namedUser(s, *body);
  } else {
    auto session = s.sessions.current(request);
    if (!session) throw crow::ApiError(401, errors::kUnauthorizedSession);
    userId = userIdOf(*session);
  }

  Poco::JSON::Object::Ptr metadata = metadataInput(*body);
  if ((metadata || organizationId) && !s.options.enableMetadata) throw crow::ApiError(400, errors::kMetadataDisabled);
  // The organization is the one the body names, else the one the metadata names; they must agree.
  if (auto fromMetadata = metadataOrganization(metadata)) {
    if (organizationId && *organizationId != *fromMetadata)
      input::invalid("body.organizationId", "Does not match metadata.organizationId");
    organizationId = fromMetadata;
    checkId(*organizationId, "body.metadata.organizationId");
  }
  if (organizationId && organizationId->empty()) input::invalid("body.organizationId", "Too small: expected string to have >=1 characters");

  const crow::Timestamp now = s.clock.now();
  std::optional<crow::Timestamp> expiresAt = expiryFor(s, expiresIn, now);
  if (!expiresIn && s.options.keyExpiration.defaultExpiresInS)
    expiresAt = crow::Timestamp{now.epochMs + *s.options.keyExpiration.defaultExpiresInS * 1000};
  if (prefix) {
    const auto length = static_cast<int64_t>(prefix->size());
    if (length < s.options.minimumPrefixLength || length > s.options.maximumPrefixLength)
      throw crow::ApiError(400, errors::kInvalidPrefixLength);
  }
  if (name && !name->empty())
    checkName(s, *name);
  else if (s.options.requireName)
    throw crow::ApiError(400, errors::kNameRequired);
  // A service is trusted with any organization; a user needs a role that allows it.
  if (organizationId && !service) requireOrganizationAccess(s, userId, *organizationId, "create");
  if (organizationId && service && !s.organizationsAvailable)
    throw crow::ApiError(400, errors::kOrganizationPluginRequired);

  if (organizationId) {
    if (!metadata) metadata = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    metadata->set("organizationId", *organizationId);
  }
  const std::string usedPrefix = prefix ? *prefix : s.options.defaultPrefix;
  const std::string key = generateKey(usedPrefix, static_cast<size_t>(s.options.defaultKeyLength));
  auto nullable = [](const std::optional<std::string>& v) { return v ? crow::Value(*v) : crow::Value(); };
  crow::Row row{
      {"id", newId()},
      {"configId", std::string("default")},
      {"name", nullable(name)},
      {"start", startOf(key)},
      {"referenceId", userId},
      {"prefix", usedPrefix.empty() ? crow::Value() : crow::Value(usedPrefix)},
      {"key", hashKey(key)},
      {"refillInterval", crow::Value()},
      {"refillAmount", crow::Value()},
      {"lastRefillAt", crow::Value()},
      {"enabled", true},
      {"rateLimitEnabled", s.options.rateLimit.enabled},
      {"rateLimitTimeWindow", s.options.rateLimit.timeWindowMs},
      {"rateLimitMax", s.options.rateLimit.maxRequests},
      {"requestCount", int64_t{0}},
      {"remaining", crow::Value()},
      {"lastRequest", crow::Value()},
      {"expiresAt", expiresAt ? crow::Value(*expiresAt) : crow::Value()},
      {"createdAt", now},
      {"updatedAt", now},
      {"permissions", crow::Value()},
      // Better Auth writes JSON.stringify(metadata): the text 'null' when there is none.
      {"metadata", metadata ? condensed(metadata) : std::string("null")},
  };
  for (const auto& [column, value] : serverProperties) row[column] = value;
  crow::Row stored = s.store.create(kTable, row);
  for (auto& [k, v] : row)
    if (!stored.count(k)) stored.emplace(k, v);
  std::string out;
  out.reserve(1024);
  appendRecordJson(out, stored, &key);
  sendJson(response, std::move(out));
}

void getKey(Service& s, crow::Request& request, crow::Response& response) {
  const auto id = request.query("id");
  if (!id) input::invalid("query.id", "Invalid input: expected string, received undefined");
  checkId(*id, "query.id");
  const crow::CurrentSession session = s.sessions.require(request);
  crow::Row row = keyFor(s, *id, userIdOf(session), "read");
  std::string out;
  appendRecordJson(out, row);
  sendJson(response, std::move(out));
}

void updateKey(Service& s, crow::Request& request, crow::Response& response) {
  Poco::JSON::Object::Ptr body = request.json();
  const std::string keyId = input::requiredString(*body, "keyId");
  checkId(keyId, "body.keyId");
  input::string(*body, "configId");
  const auto name = input::string(*body, "name");
  const auto enabled = input::boolean(*body, "enabled");
  const bool expiresInGiven = body->has("expiresIn");
  const auto expiresIn = input::number(*body, "expiresIn", true);
  if (expiresIn && *expiresIn < 1) input::invalid("body.expiresIn", "Too small: expected number to be >=1");

  const std::optional<std::string> service = serviceCaller(s, request);
  crow::Row current;
  crow::Row patch;
  if (service) {
    // A platform service may change any key, including its server-only properties.
    patch = readServerProperties(*body);
    auto found = s.store.findOne(kTable, {crow::eq("id", keyId)});
    if (!found) throw crow::ApiError(404, errors::kKeyNotFound);
    current = std::move(*found);
  } else {
    auto session = s.sessions.current(request);
    if (!session) throw crow::ApiError(401, errors::kUnauthorizedSession);
    const std::string userId = userIdOf(*session);
    if (body->has("userId")) {
      const Poco::Dynamic::Var v = body->get("userId");
      if (v.isEmpty() || v.convert<std::string>() != userId) throw crow::ApiError(401, errors::kUnauthorizedSession);
    }
    if (setsServerProperty(*body, NullRemaining::Refused)) throw crow::ApiError(400, errors::kServerOnlyProperty);
    current = keyFor(s, keyId, userId, "update");
  }
  if (name) {
    checkName(s, *name);
    patch["name"] = *name;
  }
  if (enabled) patch["enabled"] = *enabled;
  if (expiresInGiven) {
    auto expiresAt = expiryFor(s, expiresIn, s.clock.now());
    if (!expiresIn && s.options.keyExpiration.disableCustomExpiresTime)
      throw crow::ApiError(400, errors::kKeyDisabledExpiration);
    patch["expiresAt"] = expiresAt ? crow::Value(*expiresAt) : crow::Value();
  }
  // As Better Auth, metadata is silently ignored while it is disabled.
  if (body->has("metadata") && s.options.enableMetadata) {
    const Poco::Dynamic::Var given = body->get("metadata");
    Poco::JSON::Object::Ptr metadata = given.isEmpty() ? nullptr : metadataInput(*body);
    // A key never changes organization: the metadata keeps the one it has.
    const auto owner = organizationOf(current);
    const auto named = metadataOrganization(metadata);
    if (named && named != owner)
      input::invalid("body.metadata.organizationId", "The organization of a key cannot be changed");
    if (owner) {
      if (!metadata) metadata = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      metadata->set("organizationId", *owner);
    }
    patch["metadata"] = metadata ? condensed(metadata) : std::string("null");
  }
  if (patch.empty()) throw crow::ApiError(400, errors::kNoValuesToUpdate);
  auto updated = s.store.update(kTable, {crow::eq("id", keyId)}, patch);
  if (!updated) throw crow::ApiError(404, errors::kKeyNotFound);
  std::string out;
  appendRecordJson(out, *updated);
  sendJson(response, std::move(out));
}

void deleteKey(Service& s, crow::Request& request, crow::Response& response) {
  Poco::JSON::Object::Ptr body = request.json();
  const std::string keyId = input::requiredString(*body, "keyId");
  checkId(keyId, "body.keyId");
  input::string(*body, "configId");
  const crow::CurrentSession session = s.sessions.require(request);
  keyFor(s, keyId, userIdOf(session), "delete");
  s.store.remove(kTable, {crow::eq("id", keyId)});
  sendJson(response, R"({"success":true})");
}

std::optional<int64_t> nonNegativeQuery(const crow::Request& request, const std::string& name) {
  auto text = request.query(name);
  if (!text) return std::nullopt;
  if (text->empty() || text->size() > 12) input::invalid("query." + name, "Invalid input: expected a non-negative integer");
  int64_t value = 0;
  for (char c : *text) {
    if (c < '0' || c > '9') input::invalid("query." + name, "Invalid input: expected a non-negative integer");
    value = value * 10 + (c - '0');
  }
  return value;
}

const std::vector<std::string>& sortableColumns() {
  static const std::vector<std::string> columns = {
      "configId", "name", "start", "referenceId", "prefix", "refillInterval", "refillAmount", "lastRefillAt",
      "enabled", "rateLimitEnabled", "rateLimitTimeWindow", "rateLimitMax", "requestCount", "remaining",
      "lastRequest", "expiresAt", "createdAt", "updatedAt", "id"};
  return columns;
}

void listKeys(Service& s, crow::Request& request, crow::Response& response) {
  const crow::CurrentSession session = s.sessions.require(request);
  const std::string userId = userIdOf(session);
  const auto organizationId = request.query("organizationId");
  const auto limit = nonNegativeQuery(request, "limit");
  const auto offset = nonNegativeQuery(request, "offset");
  const auto sortBy = request.query("sortBy");
  const auto direction = request.query("sortDirection");
  if (direction && *direction != "asc" && *direction != "desc")
    input::invalid("query.sortDirection", "Invalid option: expected one of \"asc\"|\"desc\"");

  crow::FindOptions find;
  find.limit = kMaxListed;
  if (sortBy && std::find(sortableColumns().begin(), sortableColumns().end(), *sortBy) != sortableColumns().end())
    find.sortBy = crow::SortBy{*sortBy, direction && *direction == "desc"};
  else
    find.sortBy = crow::SortBy{"createdAt", false};
  if (organizationId && !organizationId->empty()) {
    checkId(*organizationId, "query.organizationId");
    requireOrganizationAccess(s, userId, *organizationId, "read");
    crow::Where contains;
    contains.field = "metadata";
    contains.op = crow::Op::Contains;
    contains.value = *organizationId;
    find.where = {contains};
  } else {
    find.where = {crow::eq("referenceId", userId)};
  }
  std::vector<crow::Row> rows = s.store.findMany(kTable, find);
  // The LIKE above is a coarse filter; the parsed metadata decides. Personal lists leave out the
  // keys a user made for an organization, as Better Auth lists user and organization keys apart.
  std::vector<const crow::Row*> kept;
  for (const crow::Row& row : rows) {
    const auto owner = organizationOf(row);
    if (organizationId && !organizationId->empty() ? owner == *organizationId : !owner) kept.push_back(&row);
  }
  const size_t total = kept.size();
  const size_t from = std::min(total, static_cast<size_t>(offset.value_or(0)));
  const size_t to = limit ? std::min(total, from + static_cast<size_t>(*limit)) : total;

  std::string out = "{\"apiKeys\":[";
  for (size_t i = from; i < to; ++i) {
    if (i != from) out += ',';
    appendRecordJson(out, *kept[i]);
  }
  out += "],\"total\":" + std::to_string(total);
  if (limit) out += ",\"limit\":" + std::to_string(*limit);
  if (offset) out += ",\"offset\":" + std::to_string(*offset);
  out += '}';
  sendJson(response, std::move(out));
}

void deleteExpiredKeys(Service& s, crow::Request& request, crow::Response& response) {
  const crow::CurrentSession session = s.sessions.require(request);
  crow::Where expired;
  expired.field = "expiresAt";
  expired.op = crow::Op::Lt;
  expired.value = s.clock.now();
  s.store.remove(kTable, {crow::eq("referenceId", userIdOf(session)), expired});
  sendJson(response, R"({"success":true})");
}

}  // namespace

void registerLifecycleRoutes(crow::InitContext& context, Service& service) {
  using crow::Method;
  Service* s = &service;
  context.route(Method::Post, "/api-key/create", [s](crow::Request& q, crow::Response& r) { createKey(*s, q, r); },
                {.summary = "Creates an API key for the signed-in user (or one of their organizations)"});
  context.route(Method::Get, "/api-key/get", [s](crow::Request& q, crow::Response& r) { getKey(*s, q, r); },
                {.summary = "One API key of the caller"});
  context.route(Method::Post, "/api-key/update", [s](crow::Request& q, crow::Response& r) { updateKey(*s, q, r); },
                {.summary = "Renames, enables/disables, re-dates an API key"});
  context.route(Method::Post, "/api-key/delete", [s](crow::Request& q, crow::Response& r) { deleteKey(*s, q, r); },
                {.summary = "Deletes an API key"});
  context.route(Method::Get, "/api-key/list", [s](crow::Request& q, crow::Response& r) { listKeys(*s, q, r); },
                {.summary = "The caller's API keys, or an organization's"});
  context.route(Method::Post, "/api-key/delete-all-expired-api-keys",
                [s](crow::Request& q, crow::Response& r) { deleteExpiredKeys(*s, q, r); },
                {.summary = "Deletes the caller's expired API keys"});
}

}  // namespace apikey
