// The api-key plugin through the real binary: Better Auth's lifecycle routes, shapes and errors
// (CONTRACT.md §6), what clients and platform services may set, x-api-key sessions, system tokens
// checked against /jwks, and organization keys. Verify has its own suite (api_key_verify_test.cpp).
#include "api_key_http_support.hpp"

using namespace api_key_test;

class ApiKeyHttpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ApiKeyHttpTest);
  CPPUNIT_TEST(lifecycleRoutesSpeakBetterAuth);
  CPPUNIT_TEST(createRefusesWhatClientsMayNotSet);
  CPPUNIT_TEST(platformServicesSetServerOnlyProperties);
  CPPUNIT_TEST(apiKeyIsASession);
  CPPUNIT_TEST(systemTokenVerifiesAgainstJwks);
  CPPUNIT_TEST(organizationKeysFollowRoles);
  CPPUNIT_TEST(organizationKeysNeedTheOrganizationPlugin);
  CPPUNIT_TEST_SUITE_END();

 public:
  void lifecycleRoutesSpeakBetterAuth() {
    ServedCrow server(ServeOptions{yaml("")});
    Client alice{server, server.signUp("alice@example.com")};
    Client bob{server, server.signUp("bob@example.com")};

    Reply created = alice.post("create", R"({"name":"my-key","expiresIn":604800,"prefix":"proj_"})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 200, created.status);
    CPPUNIT_ASSERT_EQUAL(std::string("application/json"), *created.header("content-type"));
    auto o = ordered(created.body);
    std::vector<std::string> withKey = kRecordOrder;
    withKey.insert(withKey.begin() + 5, "key");
    CPPUNIT_ASSERT_EQUAL(join(withKey), join(keysOf(o)));
    const std::string key = o->getValue<std::string>("key");
    const std::string id = o->getValue<std::string>("id");
    CPPUNIT_ASSERT_EQUAL(std::size_t(69), key.size());
    CPPUNIT_ASSERT_EQUAL(std::string("proj_"), key.substr(0, 5));
    CPPUNIT_ASSERT_EQUAL(key.substr(0, 6), o->getValue<std::string>("start"));
    CPPUNIT_ASSERT_EQUAL(std::string("default"), o->getValue<std::string>("configId"));
    CPPUNIT_ASSERT_EQUAL(alice.userId(), o->getValue<std::string>("referenceId"));
    CPPUNIT_ASSERT_EQUAL(true, o->getValue<bool>("enabled"));
    CPPUNIT_ASSERT_EQUAL(true, o->getValue<bool>("rateLimitEnabled"));
    CPPUNIT_ASSERT_EQUAL(86400000, o->getValue<int>("rateLimitTimeWindow"));
    CPPUNIT_ASSERT_EQUAL(10, o->getValue<int>("rateLimitMax"));
    CPPUNIT_ASSERT_EQUAL(0, o->getValue<int>("requestCount"));
    CPPUNIT_ASSERT(o->isNull("remaining") && o->isNull("permissions") && o->isNull("metadata"));
    const auto expires = crow::parseIsoString(o->getValue<std::string>("expiresAt"));
    const auto made = crow::parseIsoString(o->getValue<std::string>("createdAt"));
    CPPUNIT_ASSERT_EQUAL(int64_t{604800000}, expires->epochMs - made->epochMs);
    // Stored as Better Auth stores it: the hash only, metadata the text 'null', booleans 0/1.
    CPPUNIT_ASSERT_EQUAL(apikey::hashKey(key) + "|null|1|1",
                         sql(server, "", "SELECT key, metadata, enabled, rateLimitEnabled FROM apikey WHERE id='" + id + "'"));

    Reply bare = alice.post("create", "{}");
    CPPUNIT_ASSERT_EQUAL(200, bare.status);
    CPPUNIT_ASSERT(object(bare)->isNull("name") && object(bare)->isNull("prefix") && object(bare)->isNull("expiresAt"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(64), object(bare)->getValue<std::string>("key").size());
    const std::string bareId = object(bare)->getValue<std::string>("id");

    Reply got = alice.get("get?id=" + id);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(got.body, 200, got.status);
    CPPUNIT_ASSERT_EQUAL(join(kRecordOrder), join(keysOf(ordered(got.body))));
    expectError(bob.get("get?id=" + id), 404, "KEY_NOT_FOUND");
    expectError(alice.get("get?id=nope"), 404, "KEY_NOT_FOUND");
    expectError(server.get("/api-key/get?id=" + id), 401, "UNAUTHORIZED");
    expectError(alice.get("get"), 400, "VALIDATION_ERROR");

    auto list = object(alice.get("list"));
    CPPUNIT_ASSERT_EQUAL(2, list->getValue<int>("total"));
    CPPUNIT_ASSERT(!list->has("limit") && !list->has("offset"));
    CPPUNIT_ASSERT_EQUAL(std::string("apiKeys,total,"), join(keysOf(ordered(alice.get("list").body))));
    auto page = object(alice.get("list?limit=1&offset=1&sortBy=createdAt&sortDirection=desc"));
    CPPUNIT_ASSERT_EQUAL(2, page->getValue<int>("total"));
    CPPUNIT_ASSERT_EQUAL(1, page->getValue<int>("limit"));
    CPPUNIT_ASSERT_EQUAL(1, page->getValue<int>("offset"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), page->getArray("apiKeys")->size());
    CPPUNIT_ASSERT_EQUAL(id, page->getArray("apiKeys")->getObject(0)->getValue<std::string>("id"));
    CPPUNIT_ASSERT(!page->getArray("apiKeys")->getObject(0)->has("key"));
    expectError(alice.get("list?limit=-1"), 400, "VALIDATION_ERROR");
    expectError(alice.get("list?sortDirection=up"), 400, "VALIDATION_ERROR");
    CPPUNIT_ASSERT_EQUAL(0, object(bob.get("list"))->getValue<int>("total"));

    Reply renamed = alice.post("update", R"({"keyId":")" + id + R"(","name":"renamed","enabled":true})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(renamed.body, 200, renamed.status);
    CPPUNIT_ASSERT_EQUAL(std::string("renamed"), object(renamed)->getValue<std::string>("name"));
    CPPUNIT_ASSERT_EQUAL(join(kRecordOrder), join(keysOf(ordered(renamed.body))));
    Reply noExpiry = alice.post("update", R"({"keyId":")" + id + R"(","expiresIn":null})");
    CPPUNIT_ASSERT(object(noExpiry)->isNull("expiresAt"));
    Reply meta = alice.post("update", R"({"keyId":")" + id + R"(","metadata":{"team":"core"}})");
    CPPUNIT_ASSERT_EQUAL(std::string("core"), object(meta)->getObject("metadata")->getValue<std::string>("team"));
    expectError(alice.post("update", R"({"keyId":")" + id + R"("})"), 400, "NO_VALUES_TO_UPDATE");
    expectError(alice.post("update", R"({"keyId":")" + id + R"(","remaining":5})"), 400, "SERVER_ONLY_PROPERTY");
    expectError(alice.post("update", R"({"keyId":")" + id + R"(","permissions":{"a":["b"]}})"), 400, "SERVER_ONLY_PROPERTY");
    expectError(alice.post("update", R"({"keyId":")" + id + R"(","userId":"someone-else","name":"x"})"), 401,
                "UNAUTHORIZED_SESSION");
    expectError(alice.post("update", R"({"keyId":")" + id + R"(","name":""})"), 400, "INVALID_NAME_LENGTH");
    expectError(alice.post("update", R"({"keyId":")" + id + R"(","expiresIn":60})"), 400, "EXPIRES_IN_IS_TOO_SMALL");
    expectError(alice.post("update", R"({"keyId":")" + id + R"(","enabled":"yes"})"), 400, "VALIDATION_ERROR");
    expectError(bob.post("update", R"({"keyId":")" + id + R"(","name":"mine"})"), 404, "KEY_NOT_FOUND");
    expectError(server.postJson("/api-key/update", R"({"keyId":")" + id + R"(","name":"x"})"), 401, "UNAUTHORIZED_SESSION");

    expectError(bob.post("delete", R"({"keyId":")" + id + R"("})"), 404, "KEY_NOT_FOUND");
    Reply deleted = alice.post("delete", R"({"keyId":")" + id + R"("})");
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"success":true})"), deleted.body);
    expectError(alice.get("get?id=" + id), 404, "KEY_NOT_FOUND");
    expectError(alice.post("delete", R"({})"), 400, "VALIDATION_ERROR");

    // delete-all-expired-api-keys: only the caller's expired keys go.
    const Created bobs = create(bob);
    sql(server, "", "UPDATE apikey SET expiresAt='2001-01-01T00:00:00.000Z'");
    Reply purged = alice.post("delete-all-expired-api-keys", "{}");
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"success":true})"), purged.body);
    CPPUNIT_ASSERT_EQUAL(std::string("0"), sql(server, "", "SELECT COUNT(*) FROM apikey WHERE id='" + bareId + "'"));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), sql(server, "", "SELECT COUNT(*) FROM apikey WHERE id='" + bobs.id + "'"));
    CPPUNIT_ASSERT_EQUAL(401, server.postJson("/api-key/delete-all-expired-api-keys", "{}").status);
  }

  void createRefusesWhatClientsMayNotSet() {
    ServedCrow server(ServeOptions{yaml("")});
    Client alice{server, server.signUp("alice@example.com")};
    expectError(server.postJson("/api-key/create", R"({"name":"x"})"), 401, "UNAUTHORIZED_SESSION");
    for (const char* body : {R"({"name":"x","remaining":10})", R"({"refillAmount":1})", R"({"refillInterval":1})",
                             R"({"rateLimitMax":1})", R"({"rateLimitTimeWindow":1})", R"({"rateLimitEnabled":false})",
                             R"({"permissions":{"files":["read"]}})"})
      expectError(alice.post("create", body), 400, "SERVER_ONLY_PROPERTY");
    CPPUNIT_ASSERT_EQUAL(200, alice.post("create", R"({"remaining":null})").status);
    expectError(alice.post("create", R"({"userId":"someone"})"), 401, "UNAUTHORIZED_SESSION");
    expectError(alice.post("create", R"({"expiresIn":60})"), 400, "EXPIRES_IN_IS_TOO_SMALL");
    expectError(alice.post("create", R"({"expiresIn":31622400})"), 400, "EXPIRES_IN_IS_TOO_LARGE");
    expectError(alice.post("create", R"({"expiresIn":0})"), 400, "VALIDATION_ERROR");
    expectError(alice.post("create", R"({"expiresIn":"1d"})"), 400, "VALIDATION_ERROR");
    expectError(alice.post("create", R"({"prefix":"no spaces"})"), 400, "VALIDATION_ERROR");
    expectError(alice.post("create", R"({"prefix":")" + std::string(33, 'p') + R"("})"), 400, "INVALID_PREFIX_LENGTH");
    expectError(alice.post("create", R"({"name":")" + std::string(33, 'n') + R"("})"), 400, "INVALID_NAME_LENGTH");
    expectError(alice.post("create", R"({"name":5})"), 400, "VALIDATION_ERROR");
    expectError(alice.post("create", R"({"metadata":"text"})"), 400, "INVALID_METADATA_TYPE");
    expectError(alice.post("create", R"({"metadata":[1,2]})"), 400, "INVALID_METADATA_TYPE");
    expectError(alice.post("create", "[1]"), 400, "BODY_MUST_BE_AN_OBJECT");
    expectError(alice.post("create", "{nope"), 400, "BAD_REQUEST");
    Reply withMeta = alice.post("create", R"({"metadata":{"plan":"pro"}})");
    CPPUNIT_ASSERT_EQUAL(std::string("pro"), object(withMeta)->getObject("metadata")->getValue<std::string>("plan"));

    ServedCrow strict(ServeOptions{yaml("      requireName: true\n      enableMetadata: false\n"
                                        "      keyExpiration:\n        disableCustomExpiresTime: true\n")});
    Client carol{strict, strict.signUp("carol@example.com")};
    expectError(carol.post("create", "{}"), 400, "NAME_REQUIRED");
    expectError(carol.post("create", R"({"name":"k","metadata":{"a":1}})"), 400, "METADATA_DISABLED");
    expectError(carol.post("create", R"({"name":"k","expiresIn":86400})"), 400, "KEY_DISABLED_EXPIRATION");
  }

  // Better Auth's server code may set remaining, refill, the per-key limit and permissions; here a
  // platform service presenting its X-Service-API-Key does, for a user it names. A browser may not.
  void platformServicesSetServerOnlyProperties() {
    ServedCrow server(ServeOptions{yaml("")});
    Client alice{server, server.signUp("alice@example.com")};
    const crow_test::HeaderList service{{"X-Service-API-Key", kGatewayKey}};
    const std::string body = R"({"userId":")" + alice.userId() +
                             R"(","name":"metered","remaining":2,"permissions":{"files":["read"]},"rateLimitEnabled":false})";

    expectError(alice.post("create", body), 400, "SERVER_ONLY_PROPERTY");
    expectError(server.postJson("/api-key/create", body, {{"X-Service-API-Key", kGatewayKey + "x"}}), 400,
                "SERVER_ONLY_PROPERTY");
    Reply made = server.postJson("/api-key/create", body, service);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(made.body, 200, made.status);
    auto key = object(made);
    CPPUNIT_ASSERT_EQUAL(alice.userId(), key->getValue<std::string>("referenceId"));
    CPPUNIT_ASSERT_EQUAL(2, key->getValue<int>("remaining"));
    CPPUNIT_ASSERT_EQUAL(false, key->getValue<bool>("rateLimitEnabled"));
    CPPUNIT_ASSERT_EQUAL(std::string("read"),
                         key->getObject("permissions")->getArray("files")->getElement<std::string>(0));
    const std::string plain = key->getValue<std::string>("key");
    const std::string id = key->getValue<std::string>("id");

    // The properties take effect: permissions are checked, remaining is consumed.
    Reply granted = verify(server, R"({"key":")" + plain + R"(","permissions":{"files":["read"]}})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(granted.body, std::string("valid"), outcome(granted));
    Reply refused = verify(server, R"({"key":")" + plain + R"(","permissions":{"files":["write"]}})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(refused.body, std::string("KEY_NOT_FOUND"), outcome(refused));
    CPPUNIT_ASSERT_EQUAL(std::string("valid"), outcome(verifyKey(server, plain)));
    CPPUNIT_ASSERT_EQUAL(std::string("USAGE_EXCEEDED"), outcome(verifyKey(server, plain)));

    // Update: a service may change them on any key; the owner may not.
    Client bob{server, server.signUp("bob@example.com")};
    const Created other = create(bob, R"({"name":"b"})");
    expectError(bob.post("update", R"({"keyId":")" + other.id + R"(","remaining":9})"), 400, "SERVER_ONLY_PROPERTY");
    Reply changed = server.postJson("/api-key/update",
                                    R"({"keyId":")" + other.id + R"(","remaining":9,"rateLimitMax":50})", service);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(changed.body, 200, changed.status);
    CPPUNIT_ASSERT_EQUAL(9, object(changed)->getValue<int>("remaining"));
    CPPUNIT_ASSERT_EQUAL(50, object(changed)->getValue<int>("rateLimitMax"));

    // Bad values are the service's mistake, said plainly.
    expectError(server.postJson("/api-key/create", R"({"userId":"nobody-here"})", service), 404, "USER_NOT_FOUND");
    expectError(server.postJson("/api-key/create", R"({"name":"x"})", service), 400, "VALIDATION_ERROR");
    const std::string owner = R"({"userId":")" + alice.userId() + R"(",)";
    for (const std::string bad : {R"("remaining":-1})", R"("remaining":1.5})", R"("rateLimitMax":0})",
                                  R"("refillAmount":5})", R"("permissions":"files"})", R"("rateLimitEnabled":"yes"})"})
      expectError(server.postJson("/api-key/create", owner + bad, service), 400, "VALIDATION_ERROR");
    expectError(server.postJson("/api-key/update", R"({"keyId":"missing","remaining":1})", service), 404,
                "KEY_NOT_FOUND");
  }

  void apiKeyIsASession() {
    ServedCrow server(ServeOptions{yaml("")});
    Client alice{server, server.signUp("alice@example.com")};
    const Created k = create(alice, R"({"name":"cli"})");
    Reply session = server.get("/get-session", {{"x-api-key", k.key}, {"User-Agent", "cli/1.0"}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(session.body, 200, session.status);
    CPPUNIT_ASSERT(!session.header("set-auth-jwt") && !session.header("set-cookie"));
    auto o = ordered(session.body);
    CPPUNIT_ASSERT_EQUAL(std::string("user,session,"), join(keysOf(o)));
    CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"), o->getObject("user")->getValue<std::string>("email"));
    auto s = o->getObject("session");
    CPPUNIT_ASSERT_EQUAL(k.id, s->getValue<std::string>("id"));
    CPPUNIT_ASSERT_EQUAL(k.key, s->getValue<std::string>("token"));
    CPPUNIT_ASSERT_EQUAL(alice.userId(), s->getValue<std::string>("userId"));
    CPPUNIT_ASSERT_EQUAL(std::string("cli/1.0"), s->getValue<std::string>("userAgent"));
    // The key's session works on the plugin's own routes too.
    CPPUNIT_ASSERT_EQUAL(200, server.get("/api-key/list", {{"x-api-key", k.key}}).status);

    expectError(server.get("/get-session", {{"x-api-key", "short"}}), 403, "INVALID_API_KEY");
    expectError(server.get("/get-session", {{"x-api-key", std::string(64, 'Q')}}), 401, "INVALID_API_KEY");
    // A session cookie wins over the header.
    Reply cookie = server.get("/get-session", {{"Cookie", alice.cookie}, {"x-api-key", "short"}});
    CPPUNIT_ASSERT_EQUAL(200, cookie.status);
    // Each use counts against the key's rate limit (get-session and list above: 2 uses; the
    // refused keys and the cookie request used nothing).
    CPPUNIT_ASSERT_EQUAL(std::string("2"), sql(server, "", "SELECT requestCount FROM apikey WHERE id='" + k.id + "'"));
    sql(server, "", "UPDATE apikey SET rateLimitMax=3 WHERE id='" + k.id + "'");
    CPPUNIT_ASSERT_EQUAL(200, server.get("/get-session", {{"x-api-key", k.key}}).status);
    expectError(server.get("/get-session", {{"x-api-key", k.key}}), 429, "RATE_LIMITED");
    CPPUNIT_ASSERT_EQUAL(200, alice.post("update", R"({"keyId":")" + k.id + R"(","enabled":false})").status);
    expectError(server.get("/get-session", {{"x-api-key", k.key}}), 401, "KEY_DISABLED");
  }

  void systemTokenVerifiesAgainstJwks() {
    ServedCrow server(ServeOptions{yaml("      systemToken:\n        expiresIn: 120\n")});
    Client alice{server, server.signUp("alice@example.com")};
    const Created k = create(alice);
    Reply issued = server.request("POST", "/api-key/system-token", "", {{"x-api-key", k.key}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(issued.body, 200, issued.status);
    CPPUNIT_ASSERT_EQUAL(std::string("token,expiresAt,"), join(keysOf(ordered(issued.body))));
    const std::string token = object(issued)->getValue<std::string>("token");

    auto jwks = object(server.get("/jwks"))->getArray("keys");
    auto header = crow::host::readJwtHeaderUnverified(token);
    CPPUNIT_ASSERT(header.has_value());
    Poco::JSON::Object::Ptr jwk;
    for (size_t i = 0; i < jwks->size(); ++i)
      if (jwks->getObject(static_cast<unsigned>(i))->getValue<std::string>("kid") == (*header)->getValue<std::string>("kid"))
        jwk = jwks->getObject(static_cast<unsigned>(i));
    CPPUNIT_ASSERT_MESSAGE("the token's kid is not in /jwks", jwk);
    auto payload = crow::host::verifyJwt(token, crow::host::importJwk(*jwk).get(), crow::host::JwtAlgorithm::EdDSA);
    CPPUNIT_ASSERT_MESSAGE("signature does not verify against /jwks", payload.has_value());
    auto claims = *payload;
    CPPUNIT_ASSERT_EQUAL(alice.userId(), claims->getValue<std::string>("sub"));
    CPPUNIT_ASSERT_EQUAL(k.id, claims->getValue<std::string>("apiKeyId"));
    CPPUNIT_ASSERT_EQUAL(std::string("system"), claims->getValue<std::string>("tokenType"));
    CPPUNIT_ASSERT(claims->isNull("organizationId") && claims->isNull("permissions"));
    CPPUNIT_ASSERT_EQUAL(int64_t{120}, claims->getValue<int64_t>("exp") - claims->getValue<int64_t>("iat"));
    CPPUNIT_ASSERT_EQUAL(std::string("http://localhost:3000"), claims->getValue<std::string>("iss"));
    CPPUNIT_ASSERT(claims->has("aud"));
    CPPUNIT_ASSERT_EQUAL(claims->getValue<int64_t>("exp") * 1000,
                         crow::parseIsoString(object(issued)->getValue<std::string>("expiresAt"))->epochMs);

    // In the body too; a use of the key like verify (requestCount, rate limit).
    Reply fromBody = server.postJson("/api-key/system-token", R"({"key":")" + k.key + R"("})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(fromBody.body, 200, fromBody.status);
    CPPUNIT_ASSERT_EQUAL(std::string("2"), sql(server, "", "SELECT requestCount FROM apikey WHERE id='" + k.id + "'"));
    sql(server, "", "UPDATE apikey SET permissions='{\\\"files\\\":[\\\"read\\\"]}' WHERE id='" + k.id + "'");
    Reply withPermissions = server.request("POST", "/api-key/system-token", "", {{"x-api-key", k.key}});
    auto parts = withPermissions.body;
    std::string jwt = object(withPermissions)->getValue<std::string>("token");
    const std::string middle = jwt.substr(jwt.find('.') + 1, jwt.rfind('.') - jwt.find('.') - 1);
    CPPUNIT_ASSERT_EQUAL(std::string("read"),
                         object(base64UrlDecode(middle))->getObject("permissions")->getArray("files")->getElement<std::string>(0));

    expectError(server.request("POST", "/api-key/system-token", "", {{"x-api-key", std::string(64, 'Z')}}), 401,
                "INVALID_API_KEY");
    expectError(server.request("POST", "/api-key/system-token", ""), 401, "INVALID_API_KEY");
    expectError(server.postJson("/api-key/system-token", R"({"key":7})"), 400, "VALIDATION_ERROR");
    sql(server, "", "UPDATE apikey SET rateLimitMax=3 WHERE id='" + k.id + "'");
    expectError(server.request("POST", "/api-key/system-token", "", {{"x-api-key", k.key}}), 429, "RATE_LIMITED");
    CPPUNIT_ASSERT_EQUAL(200, alice.post("update", R"({"keyId":")" + k.id + R"(","enabled":false})").status);
    expectError(server.request("POST", "/api-key/system-token", "", {{"x-api-key", k.key}}), 401, "KEY_DISABLED");
  }

  void organizationKeysFollowRoles() {
    ServedCrow server(ServeOptions{yaml("")});
    Client alice{server, server.signUp("alice@example.com")};
    Client bob{server, server.signUp("bob@example.com")};
    Client carol{server, server.signUp("carol@example.com")};
    auto org = [&](const Client& c, const std::string& slug) {
      Reply r = server.postJson("/organization/create", R"({"name":"Org )" + slug + R"(","slug":")" + slug + R"("})",
                                {{"Cookie", c.cookie}});
      CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
      return object(r)->getValue<std::string>("id");
    };
    const std::string orgA = org(alice, "org-a");
    const std::string orgB = org(carol, "org-b");
    auto addMember = [&](const Client& c, const std::string& orgId, const std::string& role) {
      sql(server, "", "INSERT INTO member (id, organizationId, userId, role, createdAt) VALUES ('m" + role + c.userId().substr(0, 8) +
                          "', '" + orgId + "', '" + c.userId() + "', '" + role + "', '2026-01-01T00:00:00.000Z')");
    };

    Reply made = alice.post("create", R"({"name":"ci","organizationId":")" + orgA + R"("})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(made.body, 200, made.status);
    const std::string orgKeyId = object(made)->getValue<std::string>("id");
    const std::string orgKey = object(made)->getValue<std::string>("key");
    CPPUNIT_ASSERT_EQUAL(orgA, object(made)->getObject("metadata")->getValue<std::string>("organizationId"));
    CPPUNIT_ASSERT_EQUAL(alice.userId(), object(made)->getValue<std::string>("referenceId"));

    // Not a member; a plain member; a spoofed metadata.organizationId.
    expectError(bob.post("create", R"({"organizationId":")" + orgA + R"("})"), 403, "USER_NOT_MEMBER_OF_ORGANIZATION");
    expectError(bob.post("create", R"({"metadata":{"organizationId":")" + orgA + R"("}})"), 403,
                "USER_NOT_MEMBER_OF_ORGANIZATION");
    expectError(bob.get("list?organizationId=" + orgA), 403, "USER_NOT_MEMBER_OF_ORGANIZATION");
    expectError(bob.get("get?id=" + orgKeyId), 403, "USER_NOT_MEMBER_OF_ORGANIZATION");
    addMember(bob, orgA, "member");
    expectError(bob.post("create", R"({"organizationId":")" + orgA + R"("})"), 403, "INSUFFICIENT_API_KEY_PERMISSIONS");
    expectError(bob.get("list?organizationId=" + orgA), 403, "INSUFFICIENT_API_KEY_PERMISSIONS");
    expectError(bob.post("delete", R"({"keyId":")" + orgKeyId + R"("})"), 403, "INSUFFICIENT_API_KEY_PERMISSIONS");
    expectError(alice.post("create", R"({"organizationId":")" + orgA + R"(","metadata":{"organizationId":")" + orgB + R"("}})"),
                400, "VALIDATION_ERROR");

    // Organization A's key is A's: listed for A only, never in a personal list, never for B.
    auto listed = object(alice.get("list?organizationId=" + orgA));
    CPPUNIT_ASSERT_EQUAL(1, listed->getValue<int>("total"));
    CPPUNIT_ASSERT_EQUAL(0, object(alice.get("list"))->getValue<int>("total"));
    expectError(alice.get("list?organizationId=" + orgB), 403, "USER_NOT_MEMBER_OF_ORGANIZATION");
    CPPUNIT_ASSERT_EQUAL(0, object(carol.get("list?organizationId=" + orgB))->getValue<int>("total"));
    expectError(carol.get("get?id=" + orgKeyId), 403, "USER_NOT_MEMBER_OF_ORGANIZATION");
    expectError(alice.post("update", R"({"keyId":")" + orgKeyId + R"(","metadata":{"organizationId":")" + orgB + R"("}})"),
                400, "VALIDATION_ERROR");
    Reply kept = alice.post("update", R"({"keyId":")" + orgKeyId + R"(","metadata":{"env":"ci"}})");
    CPPUNIT_ASSERT_EQUAL(orgA, object(kept)->getObject("metadata")->getValue<std::string>("organizationId"));

    // What the gateway and other services see.
    Reply verified = verifyKey(server, orgKey);
    CPPUNIT_ASSERT_EQUAL(orgA, object(verified)->getObject("key")->getObject("metadata")->getValue<std::string>("organizationId"));
    Reply token = server.request("POST", "/api-key/system-token", "", {{"x-api-key", orgKey}});
    const std::string jwt = object(token)->getValue<std::string>("token");
    const std::string middle = jwt.substr(jwt.find('.') + 1, jwt.rfind('.') - jwt.find('.') - 1);
    CPPUNIT_ASSERT_EQUAL(orgA, object(base64UrlDecode(middle))->getValue<std::string>("organizationId"));

    // An admin of A manages A's keys, made by someone else.
    addMember(carol, orgA, "admin");
    CPPUNIT_ASSERT_EQUAL(200, carol.get("get?id=" + orgKeyId).status);
    CPPUNIT_ASSERT_EQUAL(1, object(carol.get("list?organizationId=" + orgA))->getValue<int>("total"));
    CPPUNIT_ASSERT_EQUAL(200, carol.post("delete", R"({"keyId":")" + orgKeyId + R"("})").status);
    CPPUNIT_ASSERT_EQUAL(std::string("INVALID_API_KEY"), outcome(verifyKey(server, orgKey)));
  }

  void organizationKeysNeedTheOrganizationPlugin() {
    ServedCrow server(ServeOptions{yaml("", false)});
    Client alice{server, server.signUp("alice@example.com")};
    expectError(alice.post("create", R"({"organizationId":"org1"})"), 400, "ORGANIZATION_PLUGIN_REQUIRED");
    expectError(alice.get("list?organizationId=org1"), 400, "ORGANIZATION_PLUGIN_REQUIRED");
    CPPUNIT_ASSERT_EQUAL(200, alice.post("create", "{}").status);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiKeyHttpTest);
