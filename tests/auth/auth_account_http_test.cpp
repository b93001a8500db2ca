// The core's account routes over real HTTP (CONTRACT.md §1, §2, §9): update-user, change-password,
// list and revoke sessions, password reset and email verification, with exact bodies and the
// bad-input cases of reliability-security.md §8.
#include "auth_expect.hpp"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>

using namespace crow::test;

class AuthAccountHttpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AuthAccountHttpTest);
  CPPUNIT_TEST(updateUser);
  CPPUNIT_TEST(changePassword);
  CPPUNIT_TEST(listAndRevokeSessions);
  CPPUNIT_TEST(passwordReset);
  CPPUNIT_TEST(emailVerification);
  CPPUNIT_TEST(emailsNeedTheNotificationService);
  CPPUNIT_TEST_SUITE_END();

 public:
  void updateUser() {
    AuthHarness h;
    HttpReply up = signUp(h, "alice@example.com");
    const std::string cookie = sessionCookie(up);
    HttpReply ok = h.post("/update-user", R"({"name":"Alice A","image":"https://img/x.png"})",
                          {{"Cookie", cookie}, {"Origin", kOrigin}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.body, 200, ok.status);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"status":true})"), ok.body);
    CPPUNIT_ASSERT_EQUAL(cookie + "; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax", setCookies(ok).at(0));
    auto user = object(h.get("/get-session", {{"Cookie", cookie}}).body)->getObject("user");
    CPPUNIT_ASSERT_EQUAL(std::string("Alice A"), user->getValue<std::string>("name"));
    CPPUNIT_ASSERT_EQUAL(std::string("https://img/x.png"), user->getValue<std::string>("image"));

    auto expect = [&](const std::string& body, const crow::test::Headers& headers, int status, const std::string& expected) {
      HttpReply r = h.post("/update-user", body, headers);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(body + " " + r.body, status, r.status);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(body, expected, r.body);
    };
    const crow::test::Headers auth = {{"Cookie", cookie}, {"Origin", kOrigin}};
    expect(R"({"email":"z@example.com"})", auth, 400, error("EMAIL_CAN_NOT_BE_UPDATED", "Email can not be updated"));
    expect(R"({})", auth, 400, R"({"message":"No fields to update"})");
    expect(R"({"emailVerified":true})", auth, 400, error("FIELD_NOT_ALLOWED", "emailVerified is not allowed to be set"));
    expect(R"({"name":"Q"})", {}, 401, error("UNAUTHORIZED", "Unauthorized"));
    expect(R"({"name":"Q"})", {{"Cookie", cookie}}, 403, error("MISSING_OR_NULL_ORIGIN", "Missing or null Origin"));
    expect(R"({"name":"Q"})", {{"Cookie", cookie}, {"Origin", "http://evil.com"}}, 403, error("INVALID_ORIGIN", "Invalid origin"));
    expect(R"({"name":"Q"})", {{"Cookie", cookie}, {"Origin", "https://evil.tld"}, {"Sec-Fetch-Site", "cross-site"}}, 403,
           error("INVALID_ORIGIN", "Invalid origin"));
    expect(R"({"name":"Alice A"})", {{"Cookie", cookie}, {"Origin", "http://localhost:5173"}}, 200, R"({"status":true})");
    expect(R"({"name":"Alice B"})", {{"Cookie", cookie}, {"Referer", "http://localhost:3000/settings"}}, 200, R"({"status":true})");
  }

  void changePassword() {
    AuthHarness h;
    HttpReply up = signUp(h, "alice@example.com");
    HttpReply second = h.post("/sign-in/email", R"({"email":"alice@example.com","password":"password1234"})");
    const crow::test::Headers auth = {{"Cookie", sessionCookie(up)}, {"Origin", kOrigin}};
    HttpReply wrong = h.post("/change-password", R"({"currentPassword":"nope12345","newPassword":"newpassword123"})", auth);
    CPPUNIT_ASSERT_EQUAL(400, wrong.status);
    CPPUNIT_ASSERT_EQUAL(error("INVALID_PASSWORD", "Invalid password"), wrong.body);
    HttpReply shortNew = h.post("/change-password", R"({"currentPassword":"password1234","newPassword":"short"})", auth);
    CPPUNIT_ASSERT_EQUAL(error("PASSWORD_TOO_SHORT", "Password too short"), shortNew.body);
    HttpReply unauth = h.post("/change-password", R"({"currentPassword":"password1234","newPassword":"newpassword123"})");
    CPPUNIT_ASSERT_EQUAL(401, unauth.status);

    HttpReply keep = h.post("/change-password", R"({"currentPassword":"password1234","newPassword":"newpassword123"})", auth);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(keep.body, 200, keep.status);
    CPPUNIT_ASSERT(keep.body.rfind("{\"token\":null,\"user\":{\"name\":\"Alice\"", 0) == 0);
    CPPUNIT_ASSERT(h.get("/get-session", {{"Cookie", sessionCookie(second)}}).body != "null");

    HttpReply revoke = h.post("/change-password",
                              R"({"currentPassword":"newpassword123","newPassword":"password5678","revokeOtherSessions":true})", auth);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(revoke.body, 200, revoke.status);
    const std::string newToken = tokenOf(revoke);
    CPPUNIT_ASSERT_EQUAL(size_t(32), newToken.size());
    CPPUNIT_ASSERT_MESSAGE(setCookies(revoke).at(0), matches(setCookies(revoke).at(0), kSessionSetCookie));
    CPPUNIT_ASSERT_EQUAL(std::string("null"), h.get("/get-session", {{"Cookie", sessionCookie(second)}}).body);
    CPPUNIT_ASSERT_EQUAL(std::string("null"), h.get("/get-session", {{"Cookie", sessionCookie(up)}}).body);
    CPPUNIT_ASSERT(h.get("/get-session", {{"Cookie", sessionCookie(revoke)}}).body != "null");
    CPPUNIT_ASSERT_EQUAL(401, h.post("/sign-in/email", R"({"email":"alice@example.com","password":"password1234"})").status);
    CPPUNIT_ASSERT_EQUAL(200, h.post("/sign-in/email", R"({"email":"alice@example.com","password":"password5678"})").status);
  }

  void listAndRevokeSessions() {
    AuthHarness h;
    HttpReply up = signUp(h, "alice@example.com");
    HttpReply two = h.post("/sign-in/email", R"({"email":"alice@example.com","password":"password1234"})");
    HttpReply three = h.post("/sign-in/email", R"({"email":"alice@example.com","password":"password1234"})");
    HttpReply bob = signUp(h, "bob@example.com");
    const crow::test::Headers auth = {{"Cookie", sessionCookie(up)}, {"Origin", kOrigin}};
    HttpReply list = h.get("/list-sessions", {{"Cookie", sessionCookie(three)}});
    CPPUNIT_ASSERT_EQUAL(200, list.status);
    Poco::JSON::Parser parser;
    auto array = parser.parse(list.body).extract<Poco::JSON::Array::Ptr>();
    CPPUNIT_ASSERT_EQUAL(size_t(3), array->size());  // never Bob's
    CPPUNIT_ASSERT_EQUAL(401, h.get("/list-sessions").status);

    // Revoking Bob's token through Alice's session does nothing (ADV-29).
    HttpReply other = h.post("/revoke-session", "{\"token\":\"" + tokenOf(bob) + "\"}", auth);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"status":true})"), other.body);
    CPPUNIT_ASSERT(h.get("/get-session", {{"Cookie", sessionCookie(bob)}}).body != "null");
    HttpReply own = h.post("/revoke-session", "{\"token\":\"" + tokenOf(two) + "\"}", auth);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"status":true})"), own.body);
    CPPUNIT_ASSERT_EQUAL(std::string("null"), h.get("/get-session", {{"Cookie", sessionCookie(two)}}).body);
    HttpReply missing = h.post("/revoke-session", "{}", auth);
    CPPUNIT_ASSERT_EQUAL(error("VALIDATION_ERROR", "[body.token] Invalid input: expected string, received undefined"), missing.body);

    HttpReply others = h.post("/revoke-other-sessions", "{}", auth);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"status":true})"), others.body);
    CPPUNIT_ASSERT_EQUAL(std::string("null"), h.get("/get-session", {{"Cookie", sessionCookie(three)}}).body);
    CPPUNIT_ASSERT(h.get("/get-session", {{"Cookie", sessionCookie(up)}}).body != "null");
    HttpReply all = h.post("/revoke-sessions", "{}", auth);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"status":true})"), all.body);
    CPPUNIT_ASSERT_EQUAL(std::string("null"), h.get("/get-session", {{"Cookie", sessionCookie(up)}}).body);
    CPPUNIT_ASSERT(h.get("/get-session", {{"Cookie", sessionCookie(bob)}}).body != "null");

    // freshAge: a session older than a day cannot list sessions.
    h.clock.advanceSeconds(86400);
    HttpReply stale = h.get("/list-sessions", {{"Cookie", sessionCookie(bob)}});
    CPPUNIT_ASSERT_EQUAL(403, stale.status);
    CPPUNIT_ASSERT_EQUAL(error("SESSION_NOT_FRESH", "Session is not fresh"), stale.body);
  }

  void passwordReset() {
    AuthHarness h;
    signUp(h, "alice@example.com");
    const std::string expected =
        R"({"status":true,"message":"If this email exists in our system, check your email for the reset link"})";
    const int64_t before = h.count("crow_outbox");
    HttpReply unknown = h.post("/request-password-reset", R"({"email":"nobody@example.com","redirectTo":"/reset"})");
    CPPUNIT_ASSERT_EQUAL(200, unknown.status);
    CPPUNIT_ASSERT_EQUAL(expected, unknown.body);
    CPPUNIT_ASSERT_EQUAL(before, h.count("crow_outbox"));
    // A poisoned Host / X-Forwarded-Host never reaches the link (ADV-32).
    HttpReply known = h.post("/request-password-reset", R"({"email":"Alice@example.com","redirectTo":"/reset"})",
                             {{"Host", "evil.tld"}, {"X-Forwarded-Host", "evil.tld"}});
    CPPUNIT_ASSERT_EQUAL(expected, known.body);
    CPPUNIT_ASSERT_EQUAL(before + 1, h.count("crow_outbox"));
    auto message = h.store().findOne("crow_outbox", {crow::eq("eventType", std::string("email.password-reset"))});
    CPPUNIT_ASSERT(message);
    CPPUNIT_ASSERT_EQUAL(std::string("notification"), crow::asString((*message)["destination"]).value());
    auto payload = object(crow::asString((*message)["payload"]).value());
    const std::string url = payload->getValue<std::string>("url");
    const std::string token = payload->getValue<std::string>("token");
    CPPUNIT_ASSERT_EQUAL(size_t(24), token.size());
    CPPUNIT_ASSERT_EQUAL("http://localhost:3000/api/v1/auth/reset-password/" + token + "?callbackURL=%2Freset", url);
    CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"), payload->getValue<std::string>("to"));
    HttpReply badRedirect = h.post("/request-password-reset", R"({"email":"alice@example.com","redirectTo":"https://evil.tld"})");
    CPPUNIT_ASSERT_EQUAL(403, badRedirect.status);
    CPPUNIT_ASSERT_EQUAL(error("INVALID_REDIRECT_URL", "Invalid redirectURL"), badRedirect.body);

    HttpReply follow = h.get("/reset-password/" + token + "?callbackURL=%2Freset");
    CPPUNIT_ASSERT_EQUAL(302, follow.status);
    CPPUNIT_ASSERT_EQUAL("http://localhost:3000/reset?token=" + token, header(follow, "location"));
    CPPUNIT_ASSERT_EQUAL(std::string(""), follow.body);
    HttpReply bad = h.get("/reset-password/badtoken?callbackURL=%2Freset");
    CPPUNIT_ASSERT_EQUAL(302, bad.status);
    CPPUNIT_ASSERT_EQUAL(std::string("http://localhost:3000/reset?error=INVALID_TOKEN"), header(bad, "location"));
    HttpReply evil = h.get("/reset-password/" + token + "?callbackURL=https%3A%2F%2Fevil.tld");
    CPPUNIT_ASSERT_EQUAL(403, evil.status);
    CPPUNIT_ASSERT_EQUAL(error("INVALID_CALLBACK_URL", "Invalid callbackURL"), evil.body);
    HttpReply trusted = h.get("/reset-password/" + token + "?callbackURL=http%3A%2F%2Flocalhost%3A5173%2Fr");
    CPPUNIT_ASSERT_EQUAL("http://localhost:5173/r?token=" + token, header(trusted, "location"));

    HttpReply shortPw = h.post("/reset-password", "{\"newPassword\":\"short\",\"token\":\"" + token + "\"}");
    CPPUNIT_ASSERT_EQUAL(error("PASSWORD_TOO_SHORT", "Password too short"), shortPw.body);
    HttpReply noToken = h.post("/reset-password", R"({"newPassword":"password5678"})");
    CPPUNIT_ASSERT_EQUAL(error("INVALID_TOKEN", "Invalid token"), noToken.body);
    HttpReply ok = h.post("/reset-password", "{\"newPassword\":\"password5678\",\"token\":\"" + token + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.body, 200, ok.status);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"status":true})"), ok.body);
    HttpReply reuse = h.post("/reset-password", "{\"newPassword\":\"password5678\",\"token\":\"" + token + "\"}");
    CPPUNIT_ASSERT_EQUAL(400, reuse.status);
    CPPUNIT_ASSERT_EQUAL(error("INVALID_TOKEN", "Invalid token"), reuse.body);
    CPPUNIT_ASSERT_EQUAL(200, h.post("/sign-in/email", R"({"email":"alice@example.com","password":"password5678"})").status);

    // An expired token: the link redirects with the error and the POST refuses it.
    h.post("/request-password-reset", R"({"email":"alice@example.com"})");
    auto rows = h.store().findMany("crow_outbox", crow::FindOptions{{crow::eq("eventType", std::string("email.password-reset"))}, {}, {}, 0, {}});
    std::string latest;
    for (const auto& r : rows) {
      auto p = object(crow::asString(r.at("payload")).value());
      if (p->getValue<std::string>("token") != token) latest = p->getValue<std::string>("token");
    }
    CPPUNIT_ASSERT_EQUAL(size_t(24), latest.size());
    h.clock.advanceSeconds(3601);
    CPPUNIT_ASSERT_EQUAL(std::string("http://localhost:3000/reset?error=INVALID_TOKEN"),
                         header(h.get("/reset-password/" + latest + "?callbackURL=%2Freset"), "location"));
    CPPUNIT_ASSERT_EQUAL(400, h.post("/reset-password", "{\"newPassword\":\"password9999\",\"token\":\"" + latest + "\"}").status);
  }

  void emailVerification() {
    AuthHarness h;
    HttpReply up = signUp(h, "alice@example.com");
    const auto start = std::chrono::steady_clock::now();
    HttpReply sent = h.post("/send-verification-email", R"({"email":"alice@example.com","callbackURL":"/verified"})");
    CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(500));
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"status":true})"), sent.body);
    const auto unknownStart = std::chrono::steady_clock::now();
    HttpReply unknown = h.post("/send-verification-email", R"({"email":"nobody@example.com"})");
    CPPUNIT_ASSERT(std::chrono::steady_clock::now() - unknownStart >= std::chrono::milliseconds(500));
    CPPUNIT_ASSERT_EQUAL(sent.body, unknown.body);
    auto message = h.store().findOne("crow_outbox", {crow::eq("eventType", std::string("email.verification"))});
    CPPUNIT_ASSERT(message);
    auto payload = object(crow::asString((*message)["payload"]).value());
    const std::string token = payload->getValue<std::string>("token");
    CPPUNIT_ASSERT_EQUAL("http://localhost:3000/api/v1/auth/verify-email?token=" + token + "&callbackURL=%2Fverified",
                         payload->getValue<std::string>("url"));

    HttpReply badToken = h.get("/verify-email?token=garbage");
    CPPUNIT_ASSERT_EQUAL(401, badToken.status);
    CPPUNIT_ASSERT_EQUAL(error("INVALID_TOKEN", "Invalid token"), badToken.body);
    HttpReply badWithCallback = h.get("/verify-email?token=garbage&callbackURL=%2Fverified");
    CPPUNIT_ASSERT_EQUAL(302, badWithCallback.status);
    CPPUNIT_ASSERT_EQUAL(std::string("/verified?error=INVALID_TOKEN"), header(badWithCallback, "location"));
    HttpReply evil = h.get("/verify-email?token=" + token + "&callbackURL=https%3A%2F%2Fevil.tld");
    CPPUNIT_ASSERT_EQUAL(403, evil.status);  // REG-01: never a 302 off-site
    HttpReply missing = h.get("/verify-email");
    CPPUNIT_ASSERT_EQUAL(error("VALIDATION_ERROR", "[query.token] Invalid input: expected string, received undefined"), missing.body);

    HttpReply verified = h.get("/verify-email?token=" + token);
    CPPUNIT_ASSERT_EQUAL(200, verified.status);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"status":true,"user":null})"), verified.body);
    auto user = object(h.get("/get-session", {{"Cookie", sessionCookie(up)}}).body)->getObject("user");
    CPPUNIT_ASSERT(user->getValue<bool>("emailVerified"));
    HttpReply again = h.get("/verify-email?token=" + token + "&callbackURL=%2Fverified");
    CPPUNIT_ASSERT_EQUAL(302, again.status);
    CPPUNIT_ASSERT_EQUAL(std::string("/verified"), header(again, "location"));

    // Authenticated: must be the session's own, unverified address.
    const crow::test::Headers auth = {{"Cookie", sessionCookie(up)}, {"Origin", kOrigin}};
    HttpReply mismatch = h.post("/send-verification-email", R"({"email":"other@example.com"})", auth);
    CPPUNIT_ASSERT_EQUAL(error("EMAIL_MISMATCH", "Email mismatch"), mismatch.body);
    HttpReply already = h.post("/send-verification-email", R"({"email":"alice@example.com"})", auth);
    CPPUNIT_ASSERT_EQUAL(error("EMAIL_ALREADY_VERIFIED", "Email is already verified"), already.body);

    // Expired token.
    HttpReply bob = signUp(h, "bob@example.com");
    h.post("/send-verification-email", R"({"email":"bob@example.com"})", {{"Cookie", sessionCookie(bob)}, {"Origin", kOrigin}});
    std::string bobToken;
    for (const auto& r : h.store().findMany("crow_outbox", crow::FindOptions{})) {
      auto p = object(crow::asString(r.at("payload")).value());
      if (p->getValue<std::string>("to") == "bob@example.com") bobToken = p->getValue<std::string>("token");
    }
    CPPUNIT_ASSERT(!bobToken.empty());
    h.clock.advanceSeconds(3601);
    HttpReply expired = h.get("/verify-email?token=" + bobToken);
    CPPUNIT_ASSERT_EQUAL(401, expired.status);
    CPPUNIT_ASSERT_EQUAL(error("TOKEN_EXPIRED", "Token expired"), expired.body);
  }

  void emailsNeedTheNotificationService() {
    AuthHarness h("", false);
    signUp(h, "alice@example.com");
    HttpReply reset = h.post("/request-password-reset", R"({"email":"alice@example.com"})");
    CPPUNIT_ASSERT_EQUAL(400, reset.status);
    CPPUNIT_ASSERT_EQUAL(error("RESET_PASSWORD_DISABLED", "Reset password isn't enabled"), reset.body);
    HttpReply verify = h.post("/send-verification-email", R"({"email":"alice@example.com"})");
    CPPUNIT_ASSERT_EQUAL(error("VERIFICATION_EMAIL_NOT_ENABLED", "Verification email isn't enabled"), verify.body);
    // requireEmailVerification: sign-up answers token:null, sign-in 403 for the right password only.
    AuthHarness strict("  emailAndPassword:\n    requireEmailVerification: true\n");
    HttpReply up = signUp(strict, "carol@example.com");
    CPPUNIT_ASSERT_EQUAL(200, up.status);
    CPPUNIT_ASSERT(up.body.rfind("{\"token\":null,\"user\":{", 0) == 0);
    CPPUNIT_ASSERT_EQUAL(0, up.count("set-cookie"));
    CPPUNIT_ASSERT_EQUAL(int64_t(1), strict.count("crow_outbox"));  // sendOnSignUp follows requireEmailVerification
    HttpReply duplicate = signUp(strict, "carol@example.com");
    CPPUNIT_ASSERT_EQUAL(200, duplicate.status);  // no enumeration: a synthetic user
    CPPUNIT_ASSERT(object(duplicate.body)->getObject("user")->getValue<std::string>("id") !=
                   object(up.body)->getObject("user")->getValue<std::string>("id"));
    CPPUNIT_ASSERT_EQUAL(int64_t(1), strict.count("user"));
    HttpReply wrong = strict.post("/sign-in/email", R"({"email":"carol@example.com","password":"wrongpass1"})");
    CPPUNIT_ASSERT_EQUAL(401, wrong.status);  // ADV-12
    HttpReply right = strict.post("/sign-in/email", R"({"email":"carol@example.com","password":"password1234"})");
    CPPUNIT_ASSERT_EQUAL(403, right.status);
    CPPUNIT_ASSERT_EQUAL(error("EMAIL_NOT_VERIFIED", "Email not verified"), right.body);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuthAccountHttpTest);
