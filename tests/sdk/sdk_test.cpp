// Unit tests of the SDK's out-of-line helpers: dates, values, request parsing, cookies, errors.
#include "crow/error.hpp"
#include "crow/http.hpp"
#include "crow/schema.hpp"
#include "crow/store.hpp"

#include <cppunit/extensions/HelperMacros.h>

using namespace crow;

namespace {

Request jsonRequest(std::string contentType, std::string body) {
  Request r;
  r.method = Method::Post;
  if (!contentType.empty()) r.headers.emplace_back("content-type", std::move(contentType));
  r.body = std::move(body);
  return r;
}

void expectApiError(const Request& r, int status, const std::string& code, bool allowForm = false) {
  try {
    r.json(allowForm);
    CPPUNIT_FAIL("expected ApiError " + code);
  } catch (const ApiError& e) {
    CPPUNIT_ASSERT_EQUAL(status, e.status());
    CPPUNIT_ASSERT_EQUAL(code, e.code());
  }
}

}  // namespace

class SdkTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SdkTest);
  CPPUNIT_TEST(isoStringMatchesJavaScript);
  CPPUNIT_TEST(isoParsingAcceptsOtherWriters);
  CPPUNIT_TEST(isoParsingRejectsGarbage);
  CPPUNIT_TEST(valueAccessorsTolerateDatabaseEncodings);
  CPPUNIT_TEST(jsonBodyRules);
  CPPUNIT_TEST(formBodiesOnlyWhenAllowed);
  CPPUNIT_TEST(deepJsonIsRefused);
  CPPUNIT_TEST(headersQueryAndCookies);
  CPPUNIT_TEST(responseJsonAndHeaders);
  CPPUNIT_TEST(setCookieFormat);
  CPPUNIT_TEST(apiErrorCarriesHeaders);
  CPPUNIT_TEST(schemaBuilderRecordsAttributes);
  CPPUNIT_TEST_SUITE_END();

 public:
  void isoStringMatchesJavaScript() {
    // new Date(1795888461383).toISOString()
    CPPUNIT_ASSERT_EQUAL(std::string("2026-11-28T17:54:21.383Z"), toIsoString(Timestamp{1795888461383}));
    CPPUNIT_ASSERT_EQUAL(std::string("1970-01-01T00:00:00.000Z"), toIsoString(Timestamp{0}));
    CPPUNIT_ASSERT_EQUAL(std::string("1969-12-31T23:59:59.999Z"), toIsoString(Timestamp{-1}));
    auto back = parseIsoString("2026-11-28T17:54:21.383Z");
    CPPUNIT_ASSERT(back);
    CPPUNIT_ASSERT_EQUAL(int64_t{1795888461383}, back->epochMs);
    // Leap days, century years and the last millisecond of a year.
    CPPUNIT_ASSERT_EQUAL(std::string("2024-02-29T12:00:00.000Z"), toIsoString(Timestamp{1709208000000}));
    CPPUNIT_ASSERT_EQUAL(std::string("2000-02-29T00:00:00.000Z"), toIsoString(Timestamp{951782400000}));
    CPPUNIT_ASSERT_EQUAL(std::string("2100-03-01T00:00:00.000Z"), toIsoString(Timestamp{4107542400000}));
    CPPUNIT_ASSERT_EQUAL(std::string("1999-12-31T23:59:59.999Z"), toIsoString(Timestamp{946684799999}));
    CPPUNIT_ASSERT_EQUAL(std::string("1900-01-01T00:00:00.000Z"), toIsoString(Timestamp{-2208988800000}));
    // Every 7 h 13 min 1.237 s from 1900 to 2200 survives a round trip through the parser.
    for (int64_t ms = -2208988800000; ms < 7258118400000; ms += 25981237) {
      const auto parsed = parseIsoString(toIsoString(Timestamp{ms}));
      CPPUNIT_ASSERT_MESSAGE(toIsoString(Timestamp{ms}), parsed && parsed->epochMs == ms);
    }
  }

  void isoParsingAcceptsOtherWriters() {
    CPPUNIT_ASSERT_EQUAL(int64_t{1795888461000}, parseIsoString("2026-11-28 17:54:21")->epochMs);
    CPPUNIT_ASSERT_EQUAL(int64_t{1795888461383}, parseIsoString("2026-11-28T18:54:21.383+01:00")->epochMs);
    CPPUNIT_ASSERT_EQUAL(int64_t{1795888461383}, parseIsoString("2026-11-28 17:54:21.383456+00")->epochMs);
    CPPUNIT_ASSERT_EQUAL(int64_t{1795888461383}, parseIsoString("1795888461383")->epochMs);
  }

  void isoParsingRejectsGarbage() {
    for (const char* bad : {"", "2026-11", "2026-13-01T00:00:00Z", "2026-11-28T17:54:21.383Q", "yesterday",
                            "2026-11-28T", "2026-11-28T17:54:21."})
      CPPUNIT_ASSERT_MESSAGE(bad, !parseIsoString(bad));
  }

  void valueAccessorsTolerateDatabaseEncodings() {
    CPPUNIT_ASSERT(*asBool(Value{int64_t{1}}));
    CPPUNIT_ASSERT(!*asBool(Value{std::string("0")}));
    CPPUNIT_ASSERT(!asBool(Value{}));
    CPPUNIT_ASSERT_EQUAL(int64_t{42}, *asInt(Value{std::string("42")}));
    CPPUNIT_ASSERT(!asInt(Value{std::string("42x")}));
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, asTimestamp(Value{std::string("1970-01-01T00:00:00.000Z")})->epochMs);
    Row row{{"a", Value{std::string("x")}}};
    CPPUNIT_ASSERT(isNull(field(row, "missing")));
    CPPUNIT_ASSERT_EQUAL(std::string("x"), *asString(field(row, "a")));
  }

  void jsonBodyRules() {
    expectApiError(jsonRequest("", "{}"), 400, "VALIDATION_ERROR");
    expectApiError(jsonRequest("text/plain;charset=UTF-8", "{}"), 415, "UNSUPPORTED_MEDIA_TYPE");
    expectApiError(jsonRequest("application/json", "{\"a\":"), 400, "BAD_REQUEST");
    expectApiError(jsonRequest("application/json", "[1,2]"), 400, "BODY_MUST_BE_AN_OBJECT");
    expectApiError(jsonRequest("application/json", "\"str\""), 400, "BODY_MUST_BE_AN_OBJECT");
    expectApiError(jsonRequest("application/json", ""), 400, "VALIDATION_ERROR");
    auto ok = jsonRequest("Application/JSON; charset=utf-8", "{\"email\":\"a@b.co\",\"n\":3}");
    auto obj = ok.json();
    CPPUNIT_ASSERT_EQUAL(std::string("a@b.co"), obj->getValue<std::string>("email"));
    CPPUNIT_ASSERT(obj.get() == ok.json().get());  // cached
  }

  void formBodiesOnlyWhenAllowed() {
    auto r = jsonRequest("application/x-www-form-urlencoded", "email=a%40b.co&password=p+w%21&rememberMe=false");
    expectApiError(r, 415, "UNSUPPORTED_MEDIA_TYPE", false);
    auto obj = r.json(true);
    CPPUNIT_ASSERT_EQUAL(std::string("a@b.co"), obj->getValue<std::string>("email"));
    CPPUNIT_ASSERT_EQUAL(std::string("p w!"), obj->getValue<std::string>("password"));
  }

  void deepJsonIsRefused() {
    std::string deep(100000, '[');
    expectApiError(jsonRequest("application/json", deep), 400, "BAD_REQUEST");
    std::string nested;
    for (int i = 0; i < 1000; ++i) nested += "{\"a\":";
    nested += "1";
    for (int i = 0; i < 1000; ++i) nested += "}";
    expectApiError(jsonRequest("application/json", nested), 400, "BAD_REQUEST");
  }

  void headersQueryAndCookies() {
    Request r;
    r.headers = {{"cookie", "a=1; better-auth.session_token=tok.sig%3D; b"}, {"x-thing", "v"}};
    r.queryString = "token=abc%2B1&callbackURL=%2Fdash+board&empty=";
    CPPUNIT_ASSERT_EQUAL(std::string("v"), *r.header("X-Thing"));
    CPPUNIT_ASSERT(r.header("missing") == nullptr);
    CPPUNIT_ASSERT_EQUAL(std::string("abc+1"), *r.query("token"));
    CPPUNIT_ASSERT_EQUAL(std::string("/dash board"), *r.query("callbackURL"));
    CPPUNIT_ASSERT_EQUAL(std::string(""), *r.query("empty"));
    CPPUNIT_ASSERT(!r.query("nope"));
    CPPUNIT_ASSERT_EQUAL(std::string("tok.sig%3D"), *r.cookie("better-auth.session_token"));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), *r.cookie("a"));
    CPPUNIT_ASSERT(!r.cookie("c"));
  }

  void responseJsonAndHeaders() {
    Response res;
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("status", true);
    res.json(o);
    CPPUNIT_ASSERT_EQUAL(std::string("{\"status\":true}"), res.body);
    CPPUNIT_ASSERT_EQUAL(std::string("application/json"), res.contentType);
    res.json(Poco::Dynamic::Var());
    CPPUNIT_ASSERT_EQUAL(std::string("null"), res.body);
    res.setHeader("X-A", "1");
    res.setHeader("x-a", "2");
    res.addHeader("Set-Cookie", "a=1");
    res.addHeader("Set-Cookie", "b=2");
    CPPUNIT_ASSERT_EQUAL(std::string("2"), *res.header("X-A"));
    CPPUNIT_ASSERT_EQUAL(size_t{3}, res.headers.size());
  }

  void setCookieFormat() {
    CookieOptions o;
    o.maxAge = 604800;
    CPPUNIT_ASSERT_EQUAL(std::string("n=v; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax"), formatSetCookie("n", "v", o));
    o.maxAge.reset();
    o.secure = true;
    CPPUNIT_ASSERT_EQUAL(std::string("n=v; Path=/; HttpOnly; Secure; SameSite=Lax"), formatSetCookie("n", "v", o));
  }

  void apiErrorCarriesHeaders() {
    static constexpr ErrorCode kTooMany{"TOO_MANY_REQUESTS", "Too many requests. Please try again later."};
    try {
      throw ApiError(429, kTooMany).withHeader("X-Retry-After", "10");
    } catch (const ApiError& e) {
      CPPUNIT_ASSERT_EQUAL(429, e.status());
      CPPUNIT_ASSERT_EQUAL(std::string("TOO_MANY_REQUESTS"), e.code());
      CPPUNIT_ASSERT_EQUAL(std::string("X-Retry-After"), e.headers().at(0).first);
    }
  }

  void schemaBuilderRecordsAttributes() {
    SchemaBuilder s;
    s.table("note").field("id", FieldType::Id).primaryKey().field("userId", FieldType::Id).required().index().references("user");
    s.extend("user").field("nickname", FieldType::String);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, s.tables().size());
    const auto& note = s.tables()[0];
    CPPUNIT_ASSERT(note.find("id")->primaryKey);
    CPPUNIT_ASSERT(note.find("userId")->index);
    CPPUNIT_ASSERT_EQUAL(std::string("user"), note.find("userId")->references->table);
    CPPUNIT_ASSERT(s.tables()[1].extension);
    SchemaBuilder bad;
    CPPUNIT_ASSERT_THROW(bad.table("t").required(), ConfigError);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SdkTest);
