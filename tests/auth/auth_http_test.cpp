// The core's sign-up, sign-in and session routes over real HTTP (CONTRACT.md §1, §2, §9): statuses,
// exact JSON bodies, exact Set-Cookie strings and headers, and the bad-input cases of
// reliability-security.md §8 A, B, D. Account routes (user, password, sessions list, emails) are
// in auth_account_http_test.cpp.
#include "auth_expect.hpp"

#include "crypto/encoding.hpp"

#include "crow/error.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <regex>

using namespace crow::test;

class AuthHttpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AuthHttpTest);
  CPPUNIT_TEST(signUpSignInSessionSignOut);
  CPPUNIT_TEST(signUpErrors);
  CPPUNIT_TEST(signUpFormAndHooks);
  CPPUNIT_TEST(signInErrorsAndOrigins);
  CPPUNIT_TEST(signInRememberMeAndCallback);
  CPPUNIT_TEST(cookieFormatMatchesTheContract);
  CPPUNIT_TEST(getSessionEdges);
  CPPUNIT_TEST(bearerTokens);
  CPPUNIT_TEST(slidingExpiry);
  CPPUNIT_TEST(malformedBodiesNeverFail);
  CPPUNIT_TEST_SUITE_END();

 public:
  void signUpSignInSessionSignOut() {
    AuthHarness h;
    HttpReply up = h.post("/sign-up/email", R"({"name":"Alice","email":"Alice@Example.com","password":"password1234"})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(up.body, 200, up.status);
    CPPUNIT_ASSERT_EQUAL(std::string("application/json"), header(up, "content-type"));
    CPPUNIT_ASSERT_MESSAGE(up.body, matches(up.body, std::regex(R"(\{"token":"[A-Za-z0-9]{32}","user":)" + std::string(".*") + "\\}")));
    auto user = object(up.body)->getObject("user");
    CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"), user->getValue<std::string>("email"));
    CPPUNIT_ASSERT(user->get("image").isEmpty());
    const std::string userJson = up.body.substr(up.body.find("\"user\":") + 7, up.body.size() - up.body.find("\"user\":") - 8);
    CPPUNIT_ASSERT_MESSAGE(userJson, matches(userJson, kUserShape));
    CPPUNIT_ASSERT_EQUAL(size_t(1), setCookies(up).size());
    CPPUNIT_ASSERT_MESSAGE(setCookies(up)[0], matches(setCookies(up)[0], kSessionSetCookie));
    // Bearer plugin: the decoded signed value, exposed to browsers.
    const std::string cookie = sessionCookie(up);
    CPPUNIT_ASSERT_EQUAL(crow::host::urlComponentDecode(cookie.substr(kSessionCookie.size() + 1)).value(),
                         header(up, "set-auth-token"));
    CPPUNIT_ASSERT_EQUAL(std::string("set-auth-token"), header(up, "access-control-expose-headers"));
    CPPUNIT_ASSERT_EQUAL(int64_t(1), h.count("account"));

    HttpReply in = h.post("/sign-in/email", R"({"email":"alice@example.com","password":"password1234"})",
                          {{"Origin", kOrigin}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(in.body, 200, in.status);
    CPPUNIT_ASSERT(in.body.rfind("{\"redirect\":false,\"token\":\"", 0) == 0);
    CPPUNIT_ASSERT(in.body.find("\"url\"") == std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string("<absent>"), header(in, "location"));
    CPPUNIT_ASSERT(tokenOf(in) != tokenOf(up));  // a new token on every sign-in

    HttpReply session = h.get("/get-session", {{"Cookie", sessionCookie(in)}});
    CPPUNIT_ASSERT_EQUAL(200, session.status);
    CPPUNIT_ASSERT_EQUAL(std::string("no-store"), header(session, "cache-control"));
    CPPUNIT_ASSERT_EQUAL(std::string("no-cache"), header(session, "pragma"));
    CPPUNIT_ASSERT_EQUAL(std::string("application/json"), header(session, "content-type"));
    const std::string& b = session.body;
    CPPUNIT_ASSERT_MESSAGE(b, b.rfind("{\"session\":{\"expiresAt\":", 0) == 0);
    const size_t userAt = b.find(",\"user\":");
    CPPUNIT_ASSERT_MESSAGE(b, matches(b.substr(11, userAt - 11), kSessionShape));
    CPPUNIT_ASSERT_MESSAGE(b, matches(b.substr(userAt + 8, b.size() - userAt - 9), kUserShape));
    CPPUNIT_ASSERT_EQUAL(tokenOf(in), object(b)->getObject("session")->getValue<std::string>("token"));
    CPPUNIT_ASSERT_EQUAL(0, session.count("set-cookie"));  // fresh session: no refresh, no write

    HttpReply out = h.post("/sign-out", "", {{"Cookie", sessionCookie(in)}, {"Origin", kOrigin}});
    CPPUNIT_ASSERT_EQUAL(200, out.status);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"success":true})"), out.body);
    const std::vector<std::string> expired = {
        "better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
        "better-auth.session_data=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
        "better-auth.dont_remember=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"};
    CPPUNIT_ASSERT(expired == setCookies(out));
    // Replay after sign-out: null, and the cookie is cleared again.
    HttpReply replay = h.get("/get-session", {{"Cookie", sessionCookie(in)}});
    CPPUNIT_ASSERT_EQUAL(std::string("null"), replay.body);
    CPPUNIT_ASSERT(expired == setCookies(replay));
    HttpReply replayBearer = h.get("/get-session", {{"Authorization", "Bearer " + tokenOf(in)}});
    CPPUNIT_ASSERT_EQUAL(std::string("null"), replayBearer.body);
    // Sign-out without any session still answers the same.
    HttpReply again = h.post("/sign-out", "");
    CPPUNIT_ASSERT_EQUAL(200, again.status);
    CPPUNIT_ASSERT(expired == setCookies(again));
  }

  void signUpErrors() {
    AuthHarness h;
    CPPUNIT_ASSERT_EQUAL(200, signUp(h, "alice@example.com").status);
    auto expect = [&](const std::string& body, int status, const std::string& expected, const crow::test::Headers& headers = {}) {
      HttpReply r = h.post("/sign-up/email", body, headers);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(body + " -> " + r.body, status, r.status);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(body, expected, r.body);
      CPPUNIT_ASSERT_EQUAL(std::string("application/json"), header(r, "content-type"));
    };
    expect(R"({"name":"A","email":"ALICE@example.com","password":"password1234"})", 422,
           error("USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", "User already exists. Use another email."));
    expect(R"({"name":"X","email":"x@example.com","password":"short"})", 400, error("PASSWORD_TOO_SHORT", "Password too short"));
    expect(R"({"name":"X","email":"x@example.com","password":")" + std::string(129, 'a') + "\"}", 400,
           error("PASSWORD_TOO_LONG", "Password too long"));
    expect(R"({"name":"X","email":"not-an-email","password":"password1234"})", 400,
           error("VALIDATION_ERROR", "[body.email] Invalid email address"));
    expect(R"({"email":"y@example.com","password":"password1234"})", 400,
           error("VALIDATION_ERROR", "[body.name] Invalid input: expected string, received undefined"));
    expect(R"({"name":"X","email":"y@example.com","password":""})", 400,
           error("VALIDATION_ERROR", "[body.password] Too small: expected string to have >=1 characters"));
    expect(R"({"name":"X","email":123,"password":"password1234"})", 400,
           error("VALIDATION_ERROR", "[body.email] Invalid input: expected string, received number"));
    expect(R"({"name":"X","email":{"a":1},"password":"password1234"})", 400,
           error("VALIDATION_ERROR", "[body.email] Invalid input: expected string, received object"));
    expect(R"({"name":"X","email":["a@x.com"],"password":"password1234"})", 400,
           error("VALIDATION_ERROR", "[body.email] Invalid input: expected string, received array"));
    // A NUL anywhere in the JSON text is refused by the parser itself.
    expect(R"({"name":"X","email":"a\u0000@x.com","password":"password1234"})", 400,
           error("BAD_REQUEST", "Invalid JSON in request body"));
    for (const std::string& email : {std::string("a\\r\\nb@x.com"), std::string("a@x.com\\r\\nBcc: v@x.com"),
                                     std::string("\\uff41@example.com"),
                                     std::string("a@ex\\u0430mple.com"), std::string(300, 'x') + "@example.com"})
      expect(R"({"name":"X","email":")" + email + R"(","password":"password1234"})", 400,
             error("VALIDATION_ERROR", "[body.email] Invalid email address"));
    expect("{bad", 400, error("BAD_REQUEST", "Invalid JSON in request body"));
    expect(R"({"name":"X")", 400, error("BAD_REQUEST", "Invalid JSON in request body"));
    expect("[1]", 400, error("BODY_MUST_BE_AN_OBJECT", "Body must be an object"));
    expect("{}", 415,
           error("UNSUPPORTED_MEDIA_TYPE",
                 "Content-Type \\\"text/plain;charset=UTF-8\\\" is not allowed. Allowed types: application/x-www-form-urlencoded, application/json"),
           {{"Content-Type", "text/plain;charset=UTF-8"}});
    HttpReply noType = request(h.port(), "POST", "/api/v1/auth/sign-up/email", "{}", {});
    CPPUNIT_ASSERT_EQUAL(400, noType.status);
    CPPUNIT_ASSERT(noType.body.find("VALIDATION_ERROR") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(int64_t(1), h.count("user"));
    // /forget-password is gone in 1.7.
    CPPUNIT_ASSERT_EQUAL(404, h.post("/forget-password", R"({"email":"alice@example.com"})").status);
  }

  void signUpFormAndHooks() {
    AuthHarness h;
    // A plugin's user.create hook (the reference server's domain blocklist) rejects with its error.
    h.onData(crow::HookPoint::CreateBefore, "user", [](crow::DataChange& change) {
      auto email = crow::asString(change.row["email"]).value_or("");
      if (email.ends_with("@blocked.test"))
        throw crow::ApiError(400, "EMAIL_DOMAIN_NOT_ALLOWED", "Email domain is not allowed");
    });
    HttpReply blocked = signUp(h, "eve@blocked.test");
    CPPUNIT_ASSERT_EQUAL(400, blocked.status);
    CPPUNIT_ASSERT_EQUAL(error("EMAIL_DOMAIN_NOT_ALLOWED", "Email domain is not allowed"), blocked.body);
    CPPUNIT_ASSERT_EQUAL(int64_t(0), h.count("user"));
    CPPUNIT_ASSERT_EQUAL(int64_t(0), h.count("account"));

    HttpReply form = h.post("/sign-up/email", "name=Bob&email=bob%40example.com&password=password1234",
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(form.body, 200, form.status);
    HttpReply formIn = h.post("/sign-in/email", "email=bob%40example.com&password=password1234",
                              {{"Content-Type", "application/x-www-form-urlencoded"}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(formIn.body, 200, formIn.status);
    // Sign-up with rememberMe:false: a browser-session cookie plus dont_remember.
    HttpReply noRemember = h.post("/sign-up/email",
                                  R"({"name":"C","email":"c@example.com","password":"password1234","rememberMe":false})");
    CPPUNIT_ASSERT_EQUAL(200, noRemember.status);
    CPPUNIT_ASSERT_EQUAL(size_t(2), setCookies(noRemember).size());
    CPPUNIT_ASSERT(setCookies(noRemember)[0].find("Max-Age") == std::string::npos);
  }

  void signInErrorsAndOrigins() {
    AuthHarness h;
    HttpReply up = signUp(h, "alice@example.com");
    auto signIn = [&](const std::string& body, const crow::test::Headers& headers = {}) {
      return h.post("/sign-in/email", body, headers);
    };
    const std::string ok = R"({"email":"alice@example.com","password":"password1234"})";
    HttpReply wrong = signIn(R"({"email":"alice@example.com","password":"wrongpassword"})");
    CPPUNIT_ASSERT_EQUAL(401, wrong.status);
    CPPUNIT_ASSERT_EQUAL(error("INVALID_EMAIL_OR_PASSWORD", "Invalid email or password"), wrong.body);
    HttpReply unknown = signIn(R"({"email":"nobody@example.com","password":"wrongpassword"})");
    CPPUNIT_ASSERT_EQUAL(401, unknown.status);
    CPPUNIT_ASSERT_EQUAL(wrong.body, unknown.body);
    HttpReply invalid = signIn(R"({"email":"nope","password":"wrongpassword"})");
    CPPUNIT_ASSERT_EQUAL(400, invalid.status);
    CPPUNIT_ASSERT_EQUAL(error("INVALID_EMAIL", "Invalid email"), invalid.body);
    HttpReply tooLong = signIn(R"({"email":"alice@example.com","password":")" + std::string(129, 'a') + "\"}");
    CPPUNIT_ASSERT_EQUAL(400, tooLong.status);
    CPPUNIT_ASSERT_EQUAL(error("PASSWORD_TOO_LONG", "Password too long"), tooLong.body);
    // Long passwords are refused before hashing; a 1 MB one is over the body limit (413).
    const auto start = std::chrono::steady_clock::now();
    HttpReply huge = signIn(R"({"email":"alice@example.com","password":")" + std::string(60000, 'a') + "\"}");
    CPPUNIT_ASSERT_EQUAL(error("PASSWORD_TOO_LONG", "Password too long"), huge.body);
    HttpReply megabyte = signIn(R"({"email":"alice@example.com","password":")" + std::string(1 << 20, 'a') + "\"}");
    CPPUNIT_ASSERT_EQUAL(413, megabyte.status);
    CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2000));
    HttpReply types = signIn(R"({"email":["alice@example.com"],"password":1})");
    CPPUNIT_ASSERT_EQUAL(error("VALIDATION_ERROR", "[body.email] Invalid input: expected string, received array; "
                                                   "[body.password] Invalid input: expected string, received number"),
                         types.body);

    // §9: cookies without Origin, a bad Origin, a cross-site navigation, an untrusted callback.
    HttpReply noOrigin = signIn(ok, {{"Cookie", sessionCookie(up)}});
    CPPUNIT_ASSERT_EQUAL(403, noOrigin.status);
    CPPUNIT_ASSERT_EQUAL(error("MISSING_OR_NULL_ORIGIN", "Missing or null Origin"), noOrigin.body);
    HttpReply badOrigin = signIn(ok, {{"Origin", "http://evil.com"}});
    CPPUNIT_ASSERT_EQUAL(403, badOrigin.status);
    CPPUNIT_ASSERT_EQUAL(error("INVALID_ORIGIN", "Invalid origin"), badOrigin.body);
    HttpReply navigate = signIn(ok, {{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Mode", "navigate"}});
    CPPUNIT_ASSERT_EQUAL(403, navigate.status);
    CPPUNIT_ASSERT_EQUAL(error("CROSS_SITE_NAVIGATION_LOGIN_BLOCKED",
                               "Cross-site navigation login blocked. This request appears to be a CSRF attack."),
                         navigate.body);
    for (const std::string url : {"http://evil.com/x", "//evil.com", "/\\\\evil.com", "/%2F%2Fevil.com",
                                   "http://localhost:3000@evil.com", "javascript:alert(1)", "/a\\r\\nSet-Cookie: x=y"}) {
      HttpReply r = signIn(R"({"email":"alice@example.com","password":"password1234","callbackURL":")" + url + "\"}");
      CPPUNIT_ASSERT_EQUAL_MESSAGE(url, 403, r.status);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(url, error("INVALID_CALLBACK_URL", "Invalid callbackURL"), r.body);
      CPPUNIT_ASSERT_EQUAL(std::string("<absent>"), header(r, "location"));
    }
    // A field name spelled with a JSON escape is the same field: the check must still see it.
    HttpReply escapedName =
        signIn(R"({"email":"alice@example.com","password":"password1234","callback\u0055RL":"http://evil.com/x"})");
    CPPUNIT_ASSERT_EQUAL(403, escapedName.status);
    CPPUNIT_ASSERT_EQUAL(error("INVALID_CALLBACK_URL", "Invalid callbackURL"), escapedName.body);
    HttpReply escapedRedirect = h.post("/request-password-reset",
                                       R"({"email":"alice@example.com","redirect\u0054o":"http://evil.com/x"})");
    CPPUNIT_ASSERT_EQUAL(403, escapedRedirect.status);
    HttpReply nonString = signIn(R"({"email":"alice@example.com","password":"password1234","callbackURL":{}})");
    CPPUNIT_ASSERT_EQUAL(400, nonString.status);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"message":"Invalid callbackURL: expected a string"})"), nonString.body);

    // Fixation: a cookie planted before sign-in is never adopted; the new token differs.
    const std::string planted = kSessionCookie + "=attackerchosenvalue000000000000000.AAAA";
    HttpReply fixed = signIn(ok, {{"Cookie", planted}, {"Origin", kOrigin}});
    CPPUNIT_ASSERT_EQUAL(200, fixed.status);
    CPPUNIT_ASSERT(tokenOf(fixed) != "attackerchosenvalue000000000000000");
    CPPUNIT_ASSERT_EQUAL(std::string("null"), h.get("/get-session", {{"Cookie", planted}}).body);
  }

  void signInRememberMeAndCallback() {
    AuthHarness h;
    signUp(h, "alice@example.com");
    HttpReply r = h.post("/sign-in/email",
                         R"({"email":"alice@example.com","password":"password1234","callbackURL":"/dashboard","rememberMe":false})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
    CPPUNIT_ASSERT_EQUAL(std::string("/dashboard"), header(r, "location"));
    CPPUNIT_ASSERT(r.body.rfind("{\"redirect\":true,\"token\":\"" + tokenOf(r) + "\",\"url\":\"/dashboard\",\"user\":{", 0) == 0);
    const auto cookies = setCookies(r);
    CPPUNIT_ASSERT_EQUAL(size_t(2), cookies.size());
    CPPUNIT_ASSERT_MESSAGE(cookies[0], matches(cookies[0], std::regex(R"(better-auth\.session_token=[A-Za-z0-9]{32}\.[A-Za-z0-9%]+; Path=/; HttpOnly; SameSite=Lax)")));
    CPPUNIT_ASSERT_EQUAL(std::string("better-auth.dont_remember=true.1Ue91JS%2BcwPpyhFiSTriJ9vlBOt6RG78rdQqJ%2BTjbEk%3D; Path=/; HttpOnly; SameSite=Lax"),
                         cookies[1]);
    // A one-day session in the database, never extended while dont_remember is sent.
    auto row = h.store().findOne("session", {crow::eq("token", tokenOf(r))});
    auto created = crow::asTimestamp((*row)["createdAt"]).value();
    CPPUNIT_ASSERT_EQUAL(created.epochMs + 86400 * 1000, crow::asTimestamp((*row)["expiresAt"])->epochMs);
    const std::string both = sessionCookie(r) + "; " + cookiePair(r, "better-auth.dont_remember");
    h.clock.advanceSeconds(86400 - 60);
    HttpReply s = h.get("/get-session", {{"Cookie", both}});
    CPPUNIT_ASSERT(s.body != "null");
    CPPUNIT_ASSERT_EQUAL(0, s.count("set-cookie"));
    // A later remember-me sign-in expires the stale dont_remember cookie (Better Auth 1.7.25).
    HttpReply remember = h.post("/sign-in/email", R"({"email":"alice@example.com","password":"password1234"})",
                                {{"Cookie", both}, {"Origin", kOrigin}});
    CPPUNIT_ASSERT_EQUAL(200, remember.status);
    CPPUNIT_ASSERT_EQUAL(std::string("better-auth.dont_remember=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"),
                         setCookies(remember).back());
  }

  void cookieFormatMatchesTheContract() {
    AuthHarness h;
    // CONTRACT.md §2.2's worked example, byte for byte.
    crow::Response response;
    h.auth->sessions().setSessionCookie(response, "PWGVlc13btklFq9Uv0F1gEs2dAPUAGK4", false);
    CPPUNIT_ASSERT_EQUAL(std::string("better-auth.session_token=PWGVlc13btklFq9Uv0F1gEs2dAPUAGK4.UnNcVfBnFVI5AFJWIXrPxtRUZRxTXQFgQnyZHwOFvG0%3D; "
                                     "Max-Age=604800; Path=/; HttpOnly; SameSite=Lax"),
                         *response.header("Set-Cookie"));
    CPPUNIT_ASSERT_EQUAL(std::string("PWGVlc13btklFq9Uv0F1gEs2dAPUAGK4.UnNcVfBnFVI5AFJWIXrPxtRUZRxTXQFgQnyZHwOFvG0="),
                         *response.header("set-auth-token"));
    // An https base URL: __Secure- names and the Secure attribute (ADV-27).
    AuthHarness secure("", true, "https://auth.example.com");
    HttpReply up = signUp(secure, "alice@example.com");
    CPPUNIT_ASSERT_MESSAGE(setCookies(up)[0],
                           matches(setCookies(up)[0], std::regex(R"(__Secure-better-auth\.session_token=[A-Za-z0-9]{32}\.[A-Za-z0-9%]+; Max-Age=604800; Path=/; HttpOnly; Secure; SameSite=Lax)")));
    HttpReply s = secure.get("/get-session", {{"Cookie", cookiePair(up, "__Secure-better-auth.session_token")}});
    CPPUNIT_ASSERT(s.body != "null");
    HttpReply out = secure.post("/sign-out", "", {{"Origin", "https://auth.example.com"},
                                                  {"Cookie", cookiePair(up, "__Secure-better-auth.session_token")}});
    CPPUNIT_ASSERT_EQUAL(std::string("__Secure-better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax"),
                         setCookies(out)[0]);
  }

  void getSessionEdges() {
    AuthHarness h;
    HttpReply up = signUp(h, "alice@example.com");
    HttpReply none = h.get("/get-session");
    CPPUNIT_ASSERT_EQUAL(200, none.status);
    CPPUNIT_ASSERT_EQUAL(std::string("null"), none.body);
    CPPUNIT_ASSERT_EQUAL(std::string("no-store"), header(none, "cache-control"));
    CPPUNIT_ASSERT_EQUAL(0, none.count("set-cookie"));

    HttpReply post = h.post("/get-session", "", {{"Origin", kOrigin}});
    CPPUNIT_ASSERT_EQUAL(405, post.status);
    CPPUNIT_ASSERT_EQUAL(error("METHOD_NOT_ALLOWED_DEFER_SESSION_REQUIRED",
                               "POST method requires deferSessionRefresh to be enabled in session config"),
                         post.body);
    CPPUNIT_ASSERT_EQUAL(std::string("no-store"), header(post, "cache-control"));
    CPPUNIT_ASSERT_EQUAL(std::string("no-cache"), header(post, "pragma"));

    const std::string good = sessionCookie(up);
    const std::string value = good.substr(kSessionCookie.size() + 1);
    const std::string token = tokenOf(up);
    for (const std::string& bad :
         {kSessionCookie + "=" + token + ".AAAA", kSessionCookie + "=" + value.substr(0, value.size() - 3),
          kSessionCookie + "=" + token, kSessionCookie + "=" + value.substr(0, 20),
          kSessionCookie + "=" + std::string(value[0] == 'X' ? "Y" : "X") + value.substr(1), kSessionCookie + "=%ZZ%" + value,
          kSessionCookie + "=" + value + "%00", kSessionCookie + "="}) {
      HttpReply r = h.get("/get-session", {{"Cookie", bad}});
      CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, 200, r.status);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, std::string("null"), r.body);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, 3, r.count("set-cookie"));  // cleared
    }
    // A stale session_data cookie is cleared; the session still resolves.
    HttpReply stale = h.get("/get-session", {{"Cookie", good + "; better-auth.session_data=abc"}});
    CPPUNIT_ASSERT(stale.body != "null");
    CPPUNIT_ASSERT_EQUAL(std::string("better-auth.session_data=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"),
                         setCookies(stale).at(0));
    // Expired: null, cookies cleared, row deleted.
    h.clock.advanceSeconds(604800 + 1);
    HttpReply expired = h.get("/get-session", {{"Cookie", good}});
    CPPUNIT_ASSERT_EQUAL(std::string("null"), expired.body);
    CPPUNIT_ASSERT_EQUAL(3, expired.count("set-cookie"));
    CPPUNIT_ASSERT_EQUAL(int64_t(0), h.count("session"));
  }

  void bearerTokens() {
    AuthHarness h;
    HttpReply up = signUp(h, "alice@example.com");
    const std::string signedValue = header(up, "set-auth-token");
    for (const std::string& credential : {tokenOf(up), signedValue, crow::host::urlComponentEncode(signedValue)}) {
      HttpReply r = h.get("/get-session", {{"Authorization", "Bearer " + credential}});
      CPPUNIT_ASSERT_MESSAGE(credential, r.body != "null");
    }
    HttpReply lower = h.get("/get-session", {{"Authorization", "bearer " + signedValue}});
    CPPUNIT_ASSERT(lower.body != "null");
    HttpReply forged = h.get("/get-session", {{"Authorization", "Bearer " + tokenOf(up) + ".AAAA"}});
    CPPUNIT_ASSERT_EQUAL(std::string("null"), forged.body);
    // A bearer POST carries no cookie, so no Origin is needed.
    HttpReply update = h.post("/update-user", R"({"name":"Bearer"})", {{"Authorization", "Bearer " + signedValue}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(update.body, 200, update.status);
    // With bearer off, the header is ignored.
    AuthHarness off("  session:\n    bearer: false\n");
    HttpReply up2 = signUp(off, "alice@example.com");
    CPPUNIT_ASSERT_EQUAL(std::string("<absent>"), header(up2, "set-auth-token"));
    CPPUNIT_ASSERT_EQUAL(std::string("null"), off.get("/get-session", {{"Authorization", "Bearer " + tokenOf(up2)}}).body);
  }

  void slidingExpiry() {
    AuthHarness h;
    HttpReply up = signUp(h, "alice@example.com");
    const std::string cookie = sessionCookie(up);
    auto expiresAt = [&] {
      return crow::asTimestamp((*h.store().findOne("session", {crow::eq("token", tokenOf(up))}))["expiresAt"])->epochMs;
    };
    const int64_t first = expiresAt();
    h.clock.advanceSeconds(3600);  // within updateAge: nothing written
    CPPUNIT_ASSERT_EQUAL(0, h.get("/get-session", {{"Cookie", cookie}}).count("set-cookie"));
    CPPUNIT_ASSERT_EQUAL(first, expiresAt());
    h.clock.advanceSeconds(86400);  // a day later: extended to now + 7 days, cookie re-sent
    HttpReply disabled = h.get("/get-session?disableRefresh=true", {{"Cookie", cookie}});
    CPPUNIT_ASSERT_EQUAL(0, disabled.count("set-cookie"));
    CPPUNIT_ASSERT_EQUAL(first, expiresAt());
    HttpReply refreshed = h.get("/get-session", {{"Cookie", cookie}});
    CPPUNIT_ASSERT_EQUAL(1, refreshed.count("set-cookie"));
    CPPUNIT_ASSERT_EQUAL(cookie + "; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax", setCookies(refreshed)[0]);
    CPPUNIT_ASSERT_EQUAL(h.clock.now().epochMs + 604800 * 1000, expiresAt());
    CPPUNIT_ASSERT_EQUAL(crow::toIsoString(crow::Timestamp{expiresAt()}),
                         object(refreshed.body)->getObject("session")->getValue<std::string>("expiresAt"));
    // disableRefresh in YAML turns it off.
    AuthHarness off("  session:\n    disableRefresh: true\n    updateAge: 0\n");
    HttpReply up2 = signUp(off, "bob@example.com");
    off.clock.advanceSeconds(10);
    CPPUNIT_ASSERT_EQUAL(0, off.get("/get-session", {{"Cookie", sessionCookie(up2)}}).count("set-cookie"));
  }

  void malformedBodiesNeverFail() {
    AuthHarness h;
    std::string deep(10000, '[');
    deep += std::string(10000, ']');
    for (const std::string& body : {std::string("{\"a\":") + deep + "}", std::string("{\"email\":\"a@x.com\",\"password\":"),
                                    std::string("\xff\xfe{}"), std::string("{\"name\":\"\xff\",\"email\":\"a@x.com\",\"password\":\"password1234\"}"),
                                    std::string("{\"name\":\"a\",\"email\":\"a@x.com\",\"password\":\"p\xffssword12\"}"),
                                    std::string("null"), std::string("\"str\""), std::string("")}) {
      for (const char* path : {"/sign-up/email", "/sign-in/email", "/request-password-reset", "/reset-password",
                               "/send-verification-email", "/update-user", "/change-password", "/revoke-session"}) {
        HttpReply r = h.post(path, body);
        CPPUNIT_ASSERT_MESSAGE(std::string(path) + " " + body.substr(0, 40) + " -> " + std::to_string(r.status) + " " + r.body,
                               r.status >= 400 && r.status < 500);
      }
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuthHttpTest);
