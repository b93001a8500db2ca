// session_source.cpp - enableSessionForAPIKeys: a request with the API-key header (and no session
// cookie or bearer token) is signed in as the key's owner, with Better Auth's mock session
// (CONTRACT.md §6). Each such request is a use of the key, as in Better Auth.
#include "error_codes.hpp"
#include "key_material.hpp"
#include "service.hpp"

namespace apikey {

namespace {
// Better Auth adds session.expiresIn (seconds) as milliseconds to a key without expiry: a mock
// session then "expires" about ten minutes out. Kept for wire compatibility.
constexpr int64_t kSessionExpiresInQuirkMs = 604800;
constexpr size_t kMaxKeyBytes = 512;
}  // namespace

void registerSessionSource(crow::InitContext& context, Service& service) {
  Service* s = &service;
  context.sessions().addSource(kPluginId, [s](const crow::Request& request) -> std::optional<crow::CurrentSession> {
    const std::string* key = request.header(s->options.apiKeyHeader);
    if (!key || key->empty()) return std::nullopt;
    if (static_cast<int64_t>(key->size()) < s->options.defaultKeyLength) throw crow::ApiError(403, errors::kInvalidApiKey);
    if (key->size() > kMaxKeyBytes) throw crow::ApiError(401, errors::kInvalidApiKey);
    auto found = s->store.findOneJoined(kTable, {crow::eq("key", hashKey(*key))}, "referenceId", "user");
    if (!found) throw crow::ApiError(401, errors::kInvalidApiKey);
    crow::Row row = s->verifier->use(std::move(found->row));

    const crow::Timestamp now = s->clock.now();
    const std::string* userAgent = request.header("user-agent");
    const auto expiresAt = crow::asTimestamp(crow::field(row, "expiresAt"));
    crow::CurrentSession session;
    session.user = std::move(found->joined);
    session.session = crow::Row{
        {"id", crow::field(row, "id")},
        {"token", *key},
        {"userId", crow::field(row, "referenceId")},
        {"userAgent", userAgent ? crow::Value(*userAgent) : crow::Value()},
        {"ipAddress", request.clientAddress.empty() ? crow::Value() : crow::Value(request.clientAddress)},
        {"createdAt", now},
        {"updatedAt", now},
        {"expiresAt", expiresAt ? *expiresAt : crow::Timestamp{now.epochMs + kSessionExpiresInQuirkMs}},
    };
    return session;
  });
}

}  // namespace apikey
