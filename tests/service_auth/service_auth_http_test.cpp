// The service-auth plugin in the real `crow-auth serve`: it protects the example plugin's
// GET /example/hello/:name and the caller-echo fixture's GET /internal/whoami. Keys are the host's
// top-level inboundKeys:, from the environment as operators give them.
#include "served_crow.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <csignal>
#include <memory>

using crow_test::HeaderList;
using crow_test::Reply;
using crow_test::ServedCrow;

namespace {

const std::string kGatewayKey = "gw-7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a";
const std::string kIngestKey = "wi-0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";

const std::string kGatewayNextKey = "gw-next-5d4c3b2a190817f6e5d4c3b2a1908f7e6d5c4b3a";

// The keys are the host's top-level inboundKeys: (gateway with two keys, as during a rotation);
// the plugin only says which paths need one.
std::string configBlock(const std::string& environmentKeys = {}) {
  return "inboundKeys:\n"
         "  gateway: [\"${SERVICE_API_KEY_GATEWAY}\", \"${SERVICE_API_KEY_GATEWAY_NEXT:-}\"]\n"
         "  web-ingest: \"${SERVICE_API_KEY_WEB_INGEST" + environmentKeys + "}\"\n"
         "plugins:\n"
         "  - id: example\n"
         "  - id: service-auth\n"
         "    config:\n"
         "      protect: [\"/example/hello\", \"/internal\"]\n"
         "  - path: " CROW_CALLER_ECHO "\n";
}

crow_test::ServeOptions serveOptions() {
  crow_test::ServeOptions options;
  options.yaml = configBlock();
  options.env = {"SERVICE_API_KEY_GATEWAY=" + kGatewayKey, "SERVICE_API_KEY_GATEWAY_NEXT=" + kGatewayNextKey,
                 "SERVICE_API_KEY_WEB_INGEST=" + kIngestKey};
  return options;
}

// One server for the tests that only send requests (starting one per test costs seconds under
// the sanitizers).
ServedCrow& sharedServer() {
  static std::unique_ptr<ServedCrow> server;
  if (!server) server = std::make_unique<ServedCrow>(serveOptions());
  return *server;
}

HeaderList withKey(const std::string& key) { return {{"X-Service-API-Key", key}}; }

std::string field(const Reply& reply, const std::string& name) {
  try {
    auto object = Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>();
    if (!object->has(name)) return "<absent>";
    if (object->isNull(name)) return "<null>";
    return object->getValue<std::string>(name);
  } catch (...) {
    return "<not JSON: " + reply.body + ">";
  }
}

std::string describe(const std::string& what, const Reply& reply) {
  return what + " -> " + std::to_string(reply.status) + " " + reply.body;
}

void assertRefused(const Reply& reply, const std::string& code, const std::string& what) {
  CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(what, reply), 401, reply.status);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(what, reply), code, field(reply, "code"));
}

// A GET of `target` exactly as given, on a server of this test's own.
Reply rawGet(int port, const std::string& target, const HeaderList& headers = {}) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request("GET", target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [k, v] : headers) request.add(k, v);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply reply;
  reply.status = response.getStatus();
  Poco::StreamCopier::copyToString(in, reply.body);
  return reply;
}

// The base YAML of a server this test configures itself (ServedCrow's turns access logging off).
std::string ownConfig(const crow_test::ScratchDir& dir, const std::string& environment, const std::string& logging) {
  return "environment: " + environment + "\n"
         "server:\n  host: 127.0.0.1\n  port: 0\n  shutdownGraceMs: 2000\n"
         "baseURL: https://auth.example.com\n"
         "database:\n  url: \"sqlite://" + dir.path() + "/crow.db\"\n"
         "logging:\n" + logging;
}

#define ASSERT_CONTAINS(haystack, needle)                                                        \
  CPPUNIT_ASSERT_MESSAGE(std::string("expected \"") + (needle) + "\" in: " + (haystack),          \
                         std::string(haystack).find(needle) != std::string::npos)

}  // namespace

class ServiceAuthHttpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ServiceAuthHttpTest);
  CPPUNIT_TEST(missingKeyIsRefused);
  CPPUNIT_TEST(wrongKeysAreRefused);
  CPPUNIT_TEST(whitespaceAroundTheKeyIsNotPartOfIt);
  CPPUNIT_TEST(rightKeyPasses);
  CPPUNIT_TEST(everyKeyOfARotationPasses);
  CPPUNIT_TEST(theCallerIsNamedForLaterHandlers);
  CPPUNIT_TEST(otherPathsNeedNoKey);
  CPPUNIT_TEST(everySpellingOfAProtectedPathIsChecked);
  CPPUNIT_TEST(keysNeverReachTheOutput);
  CPPUNIT_TEST(prodRefusesAShortKey);
  CPPUNIT_TEST(prodRefusesAMissingKey);
  CPPUNIT_TEST_SUITE_END();

 public:
  void missingKeyIsRefused() {
    const Reply reply = sharedServer().get("/example/hello/bob");
    assertRefused(reply, "MISSING_SERVICE_KEY", "no key");
    ASSERT_CONTAINS(field(reply, "message"), "X-Service-API-Key");
    CPPUNIT_ASSERT(reply.header("x-request-id") != nullptr);
    // The route never ran: its after-hook still tags the answer, as after any rejection.
    CPPUNIT_ASSERT(reply.body.find("Hello") == std::string::npos);
  }

  void wrongKeysAreRefused() {
    ServedCrow& server = sharedServer();
    std::string oneOff = kGatewayKey;
    oneOff[10] = oneOff[10] == 'a' ? 'b' : 'a';
    std::string lastOff = kGatewayKey;
    lastOff.back() = lastOff.back() == '0' ? '1' : '0';
    const std::vector<std::pair<std::string, std::string>> wrong = {
        {"a wrong key", "not-the-key-at-all-0123456789abcdef0123"},
        {"one character differs", oneOff},
        {"the last character differs", lastOff},
        {"a prefix of the key", kGatewayKey.substr(0, kGatewayKey.size() - 1)},
        {"half the key", kGatewayKey.substr(0, kGatewayKey.size() / 2)},
        {"the key and more", kGatewayKey + "0"},
        {"the key upper-cased", "GW-7F3A9C1E5B2D4F6A8C0E1B3D5F7A9C2E4B6D8F0A"},
        {"a non-breaking space after the key", kGatewayKey + "\xc2\xa0"},
        {"an empty value", ""},
        {"two keys joined", kGatewayKey + "," + kIngestKey},
    };
    for (const auto& [what, key] : wrong)
      assertRefused(server.get("/example/hello/bob", withKey(key)), "INVALID_SERVICE_KEY", what);
    // A key in another header does not count.
    assertRefused(server.get("/example/hello/bob", {{"Authorization", "Bearer " + kGatewayKey}}),
                  "MISSING_SERVICE_KEY", "key as a bearer token");
    assertRefused(server.get("/example/hello/bob", {{"X-Api-Key", kGatewayKey}}), "MISSING_SERVICE_KEY",
                  "key in X-Api-Key");
  }

  // HTTP takes spaces and tabs around a field value as framing, not content (RFC 9110 5.5): the
  // server's parser strips them, so they can neither break a right key nor make a wrong one pass.
  void whitespaceAroundTheKeyIsNotPartOfIt() {
    ServedCrow& server = sharedServer();
    for (const std::string& key : {kGatewayKey + " ", kGatewayKey + "\t", " " + kGatewayKey, kGatewayKey + "   "}) {
      const Reply reply = server.get("/example/hello/bob", withKey(key));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(describe("whitespace around the key", reply), 200, reply.status);
    }
    assertRefused(server.get("/example/hello/bob", withKey(kGatewayKey.substr(0, 20) + " " + kGatewayKey.substr(20))),
                  "INVALID_SERVICE_KEY", "a space inside the key");
  }

  void rightKeyPasses() {
    ServedCrow& server = sharedServer();
    for (const std::string& key : {kGatewayKey, kIngestKey}) {
      const Reply reply = server.get("/example/hello/bob", withKey(key));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(describe("right key", reply), 200, reply.status);
      CPPUNIT_ASSERT_EQUAL(std::string("Hello, bob!"), field(reply, "message"));
    }
    // The header name is case-insensitive, as every HTTP header name.
    CPPUNIT_ASSERT_EQUAL(200, server.get("/example/hello/bob", {{"x-service-api-key", kGatewayKey}}).status);
  }

  void everyKeyOfARotationPasses() {
    ServedCrow& server = sharedServer();
    CPPUNIT_ASSERT_EQUAL(std::string("gateway"),
                         field(server.get("/internal/whoami", withKey(kGatewayNextKey)), "caller"));
    CPPUNIT_ASSERT_EQUAL(std::string("gateway"), field(server.get("/internal/whoami", withKey(kGatewayKey)), "caller"));
    assertRefused(server.get("/internal/whoami", withKey(kGatewayNextKey.substr(0, 30))), "INVALID_SERVICE_KEY",
                  "a prefix of the next key");
  }

  void theCallerIsNamedForLaterHandlers() {
    ServedCrow& server = sharedServer();
    CPPUNIT_ASSERT_EQUAL(std::string("gateway"), field(server.get("/internal/whoami", withKey(kGatewayKey)), "caller"));
    CPPUNIT_ASSERT_EQUAL(std::string("web-ingest"), field(server.get("/internal/whoami", withKey(kIngestKey)), "caller"));
    assertRefused(server.get("/internal/whoami"), "MISSING_SERVICE_KEY", "whoami without a key");
  }

  void otherPathsNeedNoKey() {
    ServedCrow& server = sharedServer();
    const Reply note = server.get("/example/notes/none");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe("unprotected route", note), 404, note.status);
    CPPUNIT_ASSERT_EQUAL(std::string("NOTE_NOT_FOUND"), field(note, "code"));
    // A prefix covers whole segments only: /example/hellox is not under /example/hello.
    CPPUNIT_ASSERT_EQUAL(404, server.get("/example/hellox").status);
    CPPUNIT_ASSERT_EQUAL(200, server.get("//health").status);
  }

  // Whatever the router makes of a spelling (today: 404 for all but the exact one), none reaches
  // a protected route without a key.
  void everySpellingOfAProtectedPathIsChecked() {
    ServedCrow& server = sharedServer();
    const std::vector<std::string> spellings = {
        "/example/hello/bob",         "///api/v1/auth/example/hello/bob",  // sent as //api/v1/auth/...
        "//api/v1/auth//example/hello/bob", "/EXAMPLE/hello/bob",         "/Example/Hello/bob",
        "/example/hello/bob/",        "/example/./hello/bob",              "/example/x/../hello/bob",
        "/example/hell%6F/bob",       "/example%2Fhello/bob",              "/example/hello",
        "/example/hello/",            "//API/V1/AUTH/example/hello/bob",
    };
    for (const std::string& path : spellings) {
      assertRefused(server.get(path), "MISSING_SERVICE_KEY", path);
      assertRefused(server.get(path, withKey("wrong")), "INVALID_SERVICE_KEY", path);
      const Reply keyed = server.get(path, withKey(kGatewayKey));
      CPPUNIT_ASSERT_MESSAGE(describe(path + " with the key", keyed), keyed.status == 200 || keyed.status == 404);
    }
  }

  void keysNeverReachTheOutput() {
    crow_test::ScratchDir dir;
    const std::string config = ownConfig(dir, "dev", "  level: debug\n  accessLog: true\n") +
                               "secret: test-secret-0123456789abcdef0123456789abcdef\n" + configBlock();
    const std::string path = dir.write("crow-auth.yaml", config);
    std::string wrong = kGatewayKey;
    wrong[5] = wrong[5] == 'a' ? 'b' : 'a';
    crow_test::ChildProcess child({crow_test::crowExecutable(), "serve", "--config", path},
                                  {"SERVICE_API_KEY_GATEWAY=" + kGatewayKey, "SERVICE_API_KEY_WEB_INGEST=" + kIngestKey});
    const std::string line = child.waitForLine("listening on http://", 30000);
    if (line.empty()) CPPUNIT_FAIL("crow-auth serve did not start:\n" + child.err());
    const int port = std::stoi(line.substr(line.find(':', line.find("http://") + 7) + 1));

    CPPUNIT_ASSERT_EQUAL(200, rawGet(port, "/api/v1/auth/example/hello/bob", withKey(kGatewayKey)).status);
    CPPUNIT_ASSERT_EQUAL(200, rawGet(port, "/api/v1/auth/internal/whoami", withKey(kIngestKey)).status);
    CPPUNIT_ASSERT_EQUAL(401, rawGet(port, "/api/v1/auth/example/hello/eve", withKey(wrong)).status);
    CPPUNIT_ASSERT_EQUAL(401, rawGet(port, "/api/v1/auth/example/hello/mallory?key=x").status);
    child.signal(SIGTERM);
    const crow_test::ProcessResult result = child.wait(10000);
    const std::string output = result.out + result.err;

    for (const std::string& secret : {kGatewayKey, kIngestKey, wrong, kGatewayKey.substr(3, 16), kIngestKey.substr(3, 16)})
      CPPUNIT_ASSERT_MESSAGE("a key reached the output:\n" + output, output.find(secret) == std::string::npos);
    // What is logged instead: the access lines, one warning per refusal with client and path,
    // and the accepted callers at debug level.
    ASSERT_CONTAINS(output, "path=/api/v1/auth/example/hello/bob status=200");
    ASSERT_CONTAINS(output, "path=/api/v1/auth/example/hello/eve status=401");
    ASSERT_CONTAINS(output, "msg=\"service key rejected\" reason=invalid client=127.0.0.1 path=/api/v1/auth/example/hello/eve");
    ASSERT_CONTAINS(output, "msg=\"service key rejected\" reason=missing client=127.0.0.1 path=/api/v1/auth/example/hello/mallory");
    ASSERT_CONTAINS(output, "msg=\"service caller accepted\" caller=gateway path=/api/v1/auth/example/hello/bob");
    ASSERT_CONTAINS(output, "msg=\"service caller accepted\" caller=web-ingest path=/api/v1/auth/internal/whoami");
    ASSERT_CONTAINS(output, "msg=\"service-auth ready\" protect=/example/hello,/internal");
  }

  void prodRefusesAShortKey() {
    crow_test::ScratchDir dir;
    const std::string config = ownConfig(dir, "prod", "  level: info\n") +
                               "secret: ${BETTER_AUTH_SECRET}\n" + configBlock();
    const std::string path = dir.write("crow-auth.yaml", config);
    const std::string shortKey = "gw-short-key-0123456789";
    const auto result = crow_test::runProcess(
        {crow_test::crowExecutable(), "serve", "--config", path}, 60000,
        {"BETTER_AUTH_SECRET=prod-secret-0123456789abcdef0123456789abcdef", "SERVICE_API_KEY_GATEWAY=" + shortKey,
         "SERVICE_API_KEY_WEB_INGEST=" + kIngestKey});
    CPPUNIT_ASSERT_MESSAGE(result.err, !result.timedOut);
    CPPUNIT_ASSERT_MESSAGE(result.err, result.exitCode != 0);
    ASSERT_CONTAINS(result.err, path + ":");
    ASSERT_CONTAINS(result.err, "inboundKeys.gateway: a key is shorter than 32 characters; environment prod");
    CPPUNIT_ASSERT(result.out.find("listening on") == std::string::npos);
    CPPUNIT_ASSERT((result.out + result.err).find(shortKey) == std::string::npos);
  }

  void prodRefusesAMissingKey() {
    crow_test::ScratchDir dir;
    const std::string config = ownConfig(dir, "prod", "  level: info\n") +
                               "secret: ${BETTER_AUTH_SECRET}\n" + configBlock(":-");
    const std::string path = dir.write("crow-auth.yaml", config);
    const auto result = crow_test::runProcess(
        {crow_test::crowExecutable(), "serve", "--config", path}, 60000,
        {"BETTER_AUTH_SECRET=prod-secret-0123456789abcdef0123456789abcdef", "SERVICE_API_KEY_GATEWAY=" + kGatewayKey});
    CPPUNIT_ASSERT_MESSAGE(result.err, result.exitCode != 0);
    ASSERT_CONTAINS(result.err,
                    "inboundKeys.web-ingest: caller web-ingest has no key (set SERVICE_API_KEY_WEB_INGEST); "
                    "environment prod needs one");
    CPPUNIT_ASSERT((result.out + result.err).find(kGatewayKey) == std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServiceAuthHttpTest);
