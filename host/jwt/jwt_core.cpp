#include "jwt/jwt_core.hpp"
#include "jwt/session_body.hpp"

#include "crypto/crypto_error.hpp"
#include "jwt/jwks_document.hpp"
#include "jwt/jwt_options.hpp"
#include "jwt/jwt_signer.hpp"
#include "jwt/key_manager.hpp"
#include "jwt/lock_table.hpp"
#include "jwt/token_cache.hpp"
#include "jwt/token_payload.hpp"

#include "crow/error.hpp"

#include <Poco/JSON/Parser.h>

#include <atomic>
#include <limits>
#include <mutex>
#include <sstream>

namespace crow::host {

namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
// After a failed re-read of the jwks table, wait this long before trying again.
constexpr int64_t kRetryAfterFailureMs = 1000;

// The key tokens are signed with, parsed and decrypted once.
struct SigningKey {
  std::string kid;
  std::optional<crow::Timestamp> expiresAt;
  EvpPkeyPtr key;
  std::string headerJson;  // {"alg":"EdDSA","kid":"<id>"}
};

// Everything the hot paths read, replaced as a whole when the keys change.
struct KeySnapshot {
  std::shared_ptr<const std::string> jwks;   // the /jwks body
  std::shared_ptr<const SigningKey> signer;
  std::vector<StoredKey> publicKeys;          // privateKey cleared: rebuilds without the database
  int64_t rebuildAtMs = kNever;               // a key leaves /jwks, the signer expires, or refresh is due
};

std::string headerJson(JwtAlgorithm alg, const std::string& kid) {
  Poco::JSON::Object header(Poco::JSON_PRESERVE_KEY_ORDER);
  header.set("alg", std::string(algorithmName(alg)));
  header.set("kid", kid);
  std::ostringstream out;
  header.stringify(out);
  return out.str();
}

int64_t earliest(int64_t a, std::optional<crow::Timestamp> b) { return b && b->epochMs < a ? b->epochMs : a; }

// The "user" object of a get-session response body, or nullptr (null body, other shapes).
Poco::JSON::Object::Ptr userOfSessionBody(const std::string& body) {
  if (body.empty() || body[0] != '{') return nullptr;
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    Poco::Dynamic::Var parsed = parser.parse(body);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
    auto root = parsed.extract<Poco::JSON::Object::Ptr>();
    return root->getObject("user");
  } catch (const Poco::Exception&) {
    return nullptr;
  }
}

void exposeHeader(crow::Response& response, const std::string& name) {
  const std::string* existing = response.header("Access-Control-Expose-Headers");
  if (!existing || existing->empty()) {
    response.setHeader("Access-Control-Expose-Headers", name);
    return;
  }
  if (existing->find(name) != std::string::npos) return;
  response.setHeader("Access-Control-Expose-Headers", *existing + ", " + name);
}

}  // namespace

struct JwtCore::Impl {
  const AppConfig& config;
  std::shared_ptr<const SchemaCatalog> catalog;
  SessionService& sessions;

  JwtOptions options;
  KeyPolicy policy;
  crow::Store* store = nullptr;
  const crow::Clock* clock = nullptr;
  crow::Logger* logger = nullptr;
  const crow::TableDecl* userTable = nullptr;

  std::atomic<std::shared_ptr<const KeySnapshot>> snapshot;
  // Serialises rebuilds (one database read at a time); the hot paths never wait on it, except a
  // token request that finds its signing key expired.
  std::mutex rebuildMutex;
  TokenCache tokens;
  std::unique_ptr<crow::TokenSigner> pluginSigner;  // made on first tokenSigner() call

  Impl(const AppConfig& c, std::shared_ptr<const SchemaCatalog> cat, SessionService& s)
      : config(c), catalog(std::move(cat)), sessions(s) {}

  int64_t nowMs() const { return clock->now().epochMs; }

  // Builds a snapshot from `keys` (the jwks table as just read). Reuses the previous signing key
  // when it is still the one to use, so a refresh does not decrypt it again.
  std::shared_ptr<const KeySnapshot> buildSnapshot(std::vector<StoredKey> keys, crow::Timestamp now,
                                                   bool fromDatabase) {
    auto next = std::make_shared<KeySnapshot>();
    const auto previous = snapshot.load();
    if (const StoredKey* live = newestLiveKey(keys, policy.algorithm, now)) {
      if (previous && previous->signer && previous->signer->kid == live->id) {
        next->signer = previous->signer;
      } else if (!live->privateKey.empty()) {
        auto signer = std::make_shared<SigningKey>();
        signer->kid = live->id;
        signer->expiresAt = live->expiresAt;
        signer->key = loadPrivateKey(*live, policy);
        signer->headerJson = headerJson(policy.algorithm, live->id);
        next->signer = std::move(signer);
      }
    }
    if (!next->signer && previous && previous->signer && !fromDatabase) next->signer = previous->signer;

    JwksDocument document = buildJwksDocument(keys, now, options.gracePeriodS);
    next->jwks = std::make_shared<const std::string>(std::move(document.json));
    int64_t rebuildAt = earliest(kNever, document.changesAt);
    if (next->signer) rebuildAt = earliest(rebuildAt, next->signer->expiresAt);
    if (options.keyRefreshIntervalS > 0) rebuildAt = std::min(rebuildAt, now.epochMs + options.keyRefreshIntervalS * 1000);
    next->rebuildAtMs = rebuildAt;
    for (StoredKey& key : keys) key.privateKey.clear();
    next->publicKeys = std::move(keys);
    return next;
  }

  // Re-reads the table (creating a key when none of the configured algorithm is live) and swaps
  // the snapshot in. Call with rebuildMutex held. Throws on database or key errors.
  void reloadLocked() {
    const crow::Timestamp now = clock->now();
    std::vector<StoredKey> keys = ensureLiveKey(*store, policy, now);
    snapshot.store(buildSnapshot(std::move(keys), now, true));
  }

  // The snapshot to serve: rebuilt first when due, by whichever request gets there first; the
  // others keep serving the current one meanwhile. A failed re-read (database down) rebuilds
  // from the keys already known and tries the database again a second later.
  std::shared_ptr<const KeySnapshot> current() {
    auto snap = snapshot.load();
    if (nowMs() < snap->rebuildAtMs) return snap;
    std::unique_lock lock(rebuildMutex, std::try_to_lock);
    if (!lock.owns_lock()) return snap;
    snap = snapshot.load();
    if (nowMs() < snap->rebuildAtMs) return snap;
    try {
      reloadLocked();
    } catch (const std::exception& e) {
      logger->warn("cannot re-read the jwks table; serving the keys already loaded", {{"error", e.what()}});
      const crow::Timestamp now = clock->now();
      auto fallback = std::const_pointer_cast<KeySnapshot>(buildSnapshot(snap->publicKeys, now, false));
      fallback->rebuildAtMs = std::min(fallback->rebuildAtMs, now.epochMs + kRetryAfterFailureMs);
      snapshot.store(fallback);
    }
    return snapshot.load();
  }

  // The signing key; when it has expired (rotationInterval), waits for the rebuild that replaces
  // it, making the new key if no instance has yet.
  std::shared_ptr<const SigningKey> signer() {
    auto snap = current();
    auto live = [this](const std::shared_ptr<const SigningKey>& s) {
      return s && (!s->expiresAt || nowMs() < s->expiresAt->epochMs);
    };
    if (live(snap->signer)) return snap->signer;
    std::lock_guard lock(rebuildMutex);
    snap = snapshot.load();
    if (!live(snap->signer)) {
      reloadLocked();
      snap = snapshot.load();
    }
    if (!snap->signer) throw CryptoError("no signing key is available");
    return snap->signer;
  }

  // A signed token for `user` (a user object as get-session serialises it).
  std::string issue(const Poco::JSON::Object& user) {
    const auto key = signer();
    const int64_t iat = nowMs() / 1000;
    const std::string payload =
        tokenPayloadJson(user, TokenClaims{iat, options.expirationTimeS, options.issuer, options.audience});
    return tokens.get(iat, key->kid, payload, [&] { return signJwt(key->headerJson, payload, key->key.get()); });
  }

  void handleToken(crow::Request& request, crow::Response& response) {
    const SessionWithUser caller = sessions.require(request);
    const std::string token = issue(*rowToJson(*userTable, caller.user));
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("token", token);
    response.json(body);
  }

  void handleJwks(crow::Request&, crow::Response& response) {
    const auto snap = current();
    response.status = 200;
    response.contentType = "application/json";
    response.body = *snap->jwks;
  }

  // The set-auth-jwt header. It is built from the user object of the response get-session just
  // produced, rather than from a second session lookup: the claims are then exactly the user
  // the client sees, and the hot path pays no extra query. A token failure never fails
  // get-session itself: the header is left out and the reason logged.
  void addJwtHeader(crow::Request& request, crow::Response& response) {
    if (request.method != crow::Method::Get || request.path != "/get-session" || response.status != 200) return;
    // Sessions made up from another credential (x-api-key) get no JWT, as in Better Auth.
    if (request.attributes.count("core.sessionSource")) return;
    try {
      std::string token;
      const int64_t iat = nowMs() / 1000;
      if (auto payload = tokenPayloadFromSessionBody(
              response.body, TokenClaims{iat, options.expirationTimeS, options.issuer, options.audience})) {
        const auto key = signer();
        token = tokens.get(iat, key->kid, *payload, [&] { return signJwt(key->headerJson, *payload, key->key.get()); });
      } else {
        const auto user = userOfSessionBody(response.body);
        if (!user) return;
        token = issue(*user);
      }
      response.setHeader("set-auth-jwt", token);
      exposeHeader(response, "set-auth-jwt");
    } catch (const std::exception& e) {
      logger->error("set-auth-jwt left out", {{"error", e.what()}});
    }
  }
};

namespace {

// crow::TokenSigner for plugins: their claims, the service's issuer and audience, the current key.
class PluginTokenSigner final : public crow::TokenSigner {
 public:
  explicit PluginTokenSigner(JwtCore::Impl& core) : core_(core) {}
  std::string sign(const Poco::JSON::Object& claims) override;

 private:
  JwtCore::Impl& core_;
};

}  // namespace

JwtCore::JwtCore(const AppConfig& config, std::shared_ptr<const SchemaCatalog> catalog, SessionService& sessions)
    : impl_(std::make_unique<Impl>(config, std::move(catalog), sessions)) {}

JwtCore::~JwtCore() = default;

void JwtCore::declareSchema(crow::SchemaBuilder& schema) { declareLockTable(schema); }

void JwtCore::init(crow::InitContext& context) {
  Impl& d = *impl_;
  d.options = readJwtOptions(context.config(), d.config.baseURL);
  d.policy = KeyPolicy{d.options.algorithm, d.options.rotationIntervalS, d.options.privateKeyEncryption, d.config.secret};
  d.store = &context.store();
  d.clock = &context.clock();
  d.logger = &context.logger();
  if (!d.options.enabled) return;

  d.userTable = d.catalog ? d.catalog->find("user") : nullptr;
  if (!d.userTable) throw crow::ConfigError("auth.jwt: the merged schema has no `user` table");
  try {
    std::lock_guard lock(d.rebuildMutex);
    d.reloadLocked();
  } catch (const CryptoError& e) {
    throw crow::ConfigError(std::string("auth.jwt: the signing key cannot be used (was BETTER_AUTH_SECRET or "
                                        "auth.jwt.encryptPrivateKeys changed since it was made?): ") + e.what());
  }

  Impl* impl = impl_.get();
  context.route(crow::Method::Get, "/token", [impl](crow::Request& q, crow::Response& r) { impl->handleToken(q, r); },
                {true, "a JWT for the session's user (Better Auth jwt plugin)"});
  context.route(crow::Method::Get, "/jwks", [impl](crow::Request& q, crow::Response& r) { impl->handleJwks(q, r); },
                {true, "the public keys that verify /token's JWTs"});
  if (d.options.setJwtHeader) {
    crow::RequestHookOptions hook;
    hook.pathPrefix = "/get-session";
    context.onRequest(crow::HookPoint::RequestAfter,
                      [impl](crow::Request& q, crow::Response& r) { impl->addJwtHeader(q, r); }, hook);
  }
}

namespace {

std::string PluginTokenSigner::sign(const Poco::JSON::Object& claims) {
  Poco::JSON::Object payload(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const std::string& name : claims.getNames()) payload.set(name, claims.get(name));
  if (!payload.has("iss")) payload.set("iss", core_.options.issuer);
  if (!payload.has("aud")) payload.set("aud", core_.options.audience);
  std::ostringstream text;
  payload.stringify(text);
  const auto key = core_.signer();
  return signJwt(key->headerJson, text.str(), key->key.get());
}

}  // namespace

crow::TokenSigner* JwtCore::tokenSigner() noexcept {
  Impl& d = *impl_;
  if (!d.options.enabled || !d.store) return nullptr;
  if (!d.pluginSigner) d.pluginSigner = std::make_unique<PluginTokenSigner>(d);
  return d.pluginSigner.get();
}

std::string JwtCore::rotate() {
  Impl& d = *impl_;
  if (!d.store) throw std::logic_error("JwtCore::rotate called before init");
  std::lock_guard lock(d.rebuildMutex);
  const crow::Timestamp now = d.clock->now();
  const StoredKey created = addKeyNow(*d.store, d.policy, now);
  d.snapshot.store(d.buildSnapshot(readStoredKeys(*d.store), now, true));
  return created.id;
}

}  // namespace crow::host
