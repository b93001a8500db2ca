// verify_routes.cpp - the two internal routes: POST /api-key/verify for the gateway (protected by
// the service-auth plugin's X-Service-API-Key check, configured in YAML), and POST
// /api-key/system-token, which trades a valid key for a short-lived JWT signed with the /jwks keys.
#include "error_codes.hpp"
#include "input.hpp"
#include "record_json.hpp"
#include "server_properties.hpp"
#include "service.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace apikey {

namespace {

void sendJson(crow::Response& response, std::string body, int status = 200) {
  response.text(std::move(body), status, "application/json");
}

bool isKeyCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// The gateway's body is `{"key":"<key>"}` nearly always: read that form without building a JSON
// tree. Anything else (whitespace, more members, escapes) goes through the full parser.
std::optional<std::string_view> plainKeyBody(const std::string& body) {
  constexpr std::string_view head = "{\"key\":\"";
  constexpr std::string_view tail = "\"}";
  if (body.size() < head.size() + tail.size() || body.compare(0, head.size(), head) != 0 ||
      body.compare(body.size() - tail.size(), tail.size(), tail) != 0)
    return std::nullopt;
  std::string_view key(body.data() + head.size(), body.size() - head.size() - tail.size());
  for (char c : key)
    if (!isKeyCharacter(c)) return std::nullopt;
  return key;
}

std::string failure(const KeyRejected& e) {
  std::string out = "{\"valid\":false,\"error\":{\"message\":";
  appendJsonString(out, e.message());
  out += ",\"code\":";
  appendJsonString(out, e.code());
  if (e.tryAgainInMs() >= 0) out += ",\"details\":{\"tryAgainIn\":" + std::to_string(e.tryAgainInMs()) + "}";
  out += "},\"key\":null}";
  return out;
}

// Verify answers with key records, so it is for platform services only. The service-auth plugin
// normally vouches for the caller (its request attribute); should it be missing from the config,
// the route checks X-Service-API-Key itself rather than be open.
void requireServiceCaller(const Service& s, const crow::Request& request) {
  if (serviceCaller(s, request)) return;
  const std::string* presented = request.header("x-service-api-key");
  throw crow::ApiError(401, !presented || presented->empty() ? errors::kMissingServiceKey : errors::kInvalidServiceKey);
}

void verify(Service& s, crow::Request& request, crow::Response& response) {
  requireServiceCaller(s, request);
  std::string key;
  std::optional<Permissions> permissions;
  std::optional<std::string_view> plain;
  if (request.mediaType() == "application/json") plain = plainKeyBody(request.body);
  if (plain) {
    key.assign(*plain);
  } else {
    Poco::JSON::Object::Ptr body = request.json();
    key = input::requiredString(*body, "key");
    input::string(*body, "configId");
    if (body->has("permissions") && !body->get("permissions").isEmpty())
      permissions = parsePermissions(body->get("permissions"), "body.permissions");
  }
  try {
    crow::Row row = s.verifier->verify(key, permissions ? &*permissions : nullptr);
    std::string out;
    out.reserve(900);
    out += "{\"valid\":true,\"error\":null,\"key\":";
    appendRecordJson(out, row);
    out += '}';
    sendJson(response, std::move(out));
  } catch (const KeyRejected& e) {
    sendJson(response, failure(e));
  }
}

void systemToken(Service& s, crow::Request& request, crow::Response& response) {
  if (!s.signer) throw crow::ApiError(404, errors::kSystemTokensDisabled);
  std::string key;
  if (const std::string* header = request.header(s.options.apiKeyHeader)) {
    key = *header;
  } else if (!request.body.empty()) {
    Poco::JSON::Object::Ptr body = request.json();
    if (auto given = input::string(*body, "key")) key = *given;
  }
  if (key.empty()) throw crow::ApiError(401, errors::kInvalidApiKey);
  crow::Row row = s.verifier->verify(key);  // KeyRejected is an ApiError: 401/429 with its code

  const crow::Timestamp now = s.clock.now();
  const int64_t iat = now.epochMs / 1000;
  const int64_t exp = iat + s.options.systemTokenExpiresInS;
  const std::string keyId = crow::asString(crow::field(row, "id")).value_or("");
  const std::string subject = crow::asString(crow::field(row, "referenceId")).value_or("");
  const auto organization = organizationOf(row);
  const auto permissions = storedObjectJson(crow::field(row, "permissions"));
  // Everything the claims are made of, so a cached token is reused only for identical claims.
  std::string claimsKey = std::to_string(iat) + '|' + std::to_string(exp) + '|' + subject + '|' +
                          (organization ? "o:" + *organization : "-") + '|' + (permissions ? *permissions : "-");
  std::optional<std::string> cached = s.systemTokens->find(keyId, claimsKey);
  std::string token;
  if (cached) {
    token = std::move(*cached);
  } else {
    Poco::JSON::Object claims(Poco::JSON_PRESERVE_KEY_ORDER);
    claims.set("sub", subject);
    claims.set("organizationId", organization ? Poco::Dynamic::Var(*organization) : Poco::Dynamic::Var());
    if (permissions)
      claims.set("permissions", Poco::JSON::Parser().parse(*permissions));
    else
      claims.set("permissions", Poco::Dynamic::Var());
    claims.set("apiKeyId", keyId);
    claims.set("tokenType", std::string("system"));
    claims.set("iat", iat);
    claims.set("exp", exp);
    token = s.signer->sign(claims);
    s.systemTokens->store(keyId, std::move(claimsKey), token);
  }

  std::string out = "{\"token\":";
  appendJsonString(out, token);
  out += ",\"expiresAt\":\"" + crow::toIsoString(crow::Timestamp{exp * 1000}) + "\"}";
  sendJson(response, std::move(out));
}

}  // namespace

void registerVerifyRoutes(crow::InitContext& context, Service& service) {
  Service* s = &service;
  context.route(crow::Method::Post, "/api-key/verify", [s](crow::Request& q, crow::Response& r) { verify(*s, q, r); },
                {.summary = "Verifies an API key for another service (X-Service-API-Key)"});
  context.route(crow::Method::Post, "/api-key/system-token",
                [s](crow::Request& q, crow::Response& r) { systemToken(*s, q, r); },
                {.summary = "Trades a valid API key for a short-lived system JWT"});
}

}  // namespace apikey
