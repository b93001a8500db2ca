// Every core route over real HTTP (CONTRACT.md §1, §2, §9): statuses, exact JSON bodies, exact
// Set-Cookie strings and headers, and the bad-input cases of reliability-security.md §8 A, B, D.
#include "auth_harness.hpp"

#include "crypto/encoding.hpp"
#include "crypto/hmac.hpp"

#include "crow/error.hpp"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <regex>

using namespace crow::test;

namespace {

const std::string kSessionCookie = "better-auth.session_token";
const std::string kSecret = "test-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const std::string kOrigin = "http://localhost:3000";

Poco::JSON::Object::Ptr object(const std::string& body) {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::string error(const std::string& code, const std::string& message) {
  return "{\"message\":\"" + message + "\",\"code\":\"" + code + "\"}";
}

// "name=value" of the session cookie a reply set, as a Cookie header value.
std::string sessionCookie(const HttpReply& reply) { return cookiePair(reply, kSessionCookie); }

std::string tokenOf(const HttpReply& reply) { return object(reply.body)->getValue<std::string>("token"); }

std::string header(const HttpReply& r, const std::string& name) {
  const std::string* v = r.header(name);
  return v ? *v : std::string("<absent>");
}

// The user object's keys in Better Auth's order, for a body that has one under "user".
const std::regex kUserShape(
    R"(\{"name":"[^"]*","email":"[^"]*","emailVerified":(true|false),"image":(null|"[^"]*"),)"
    R"("createdAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","updatedAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","id":"[A-Za-z0-9]{32}"\})");
const std::regex kSessionShape(
    R"(\{"expiresAt":"[^"]+","token":"[A-Za-z0-9]{32}","createdAt":"[^"]+","updatedAt":"[^"]+",)"
    R"("ipAddress":"[^"]*","userAgent":"[^"]*","userId":"[A-Za-z0-9]{32}","activeOrganizationId":null,"id":"[A-Za-z0-9]{32}"\})");
const std::regex kSessionSetCookie(
    R"(better-auth\.session_token=[A-Za-z0-9]{32}\.[A-Za-z0-9%]{44,60}; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax)");

bool matches(const std::string& text, const std::regex& re) { return std::regex_match(text, re); }

}  // namespace

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
  CPPUNIT_TEST(updateUser);
  CPPUNIT_TEST(changePassword);
  CPPUNIT_TEST(listAndRevokeSessions);
  CPPUNIT_TEST(passwordReset);
  CPPUNIT_TEST(emailVerification);
  CPPUNIT_TEST(emailsNeedTheNotificationService);
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
