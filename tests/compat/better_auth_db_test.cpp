// Opens a SQLite database written by the real Better Auth (tests/fixtures/better-auth-db) with
// crow-auth and checks that its users, sessions and JWKS keys keep working unchanged.
#include "process.hpp"

#include "jwt/jwk.hpp"
#include "jwt/jwt_signer.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using crow::host::JwtAlgorithm;

namespace {

const std::string kExecutable = std::string(CROW_BUILD_DIR) + "/bin/crow-auth";
const std::string kFixtureDir = CROW_BA_FIXTURE_DIR;

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Reply {
  int status = 0;
  std::string body;
};

Reply call(int port, const std::string& method, const std::string& path, const std::string& body = {},
           const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [k, v] : headers) request.set(k, v);
  if (!body.empty()) {
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return {static_cast<int>(response.getStatus()), text};
}

}  // namespace

class BetterAuthDatabaseTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(BetterAuthDatabaseTest);
  CPPUNIT_TEST(usersSessionsAndKeysKeepWorking);
  CPPUNIT_TEST_SUITE_END();

 public:
  void usersSessionsAndKeysKeepWorking() {
    auto fixture = parseObject(readFile(kFixtureDir + "/fixture.json"));
    auto user = fixture->getObject("user");
    auto session = fixture->getObject("session");
    auto jwks = fixture->getObject("jwks");
    auto fixtureKey = jwks->getArray("keys")->getObject(0);

    std::string pattern = (fs::temp_directory_path() / "crow-ba-db-XXXXXX").string();
    const std::string dir = mkdtemp(pattern.data());
    fs::copy_file(kFixtureDir + "/fixture.db", dir + "/ba.db");
    std::ofstream(dir + "/c.yaml") << "server:\n  port: 0\n"
                                   << "baseURL: " << fixture->getValue<std::string>("baseURL") << "\n"
                                   << "secret: " << fixture->getValue<std::string>("secret") << "\n"
                                   << "database:\n  url: \"sqlite://" << dir << "/ba.db\"\n"
                                   << "logging:\n  accessLog: false\nplugins: []\n";

    crow_test::ChildProcess server({kExecutable, "serve", "--config", dir + "/c.yaml"});
    std::string line = server.waitForLine("listening on http://", 30000);
    CPPUNIT_ASSERT_MESSAGE("crow-auth did not start on the Better Auth database: " + server.err(), !line.empty());
    int port = std::stoi(line.substr(line.find(':', line.find("http://") + 7) + 1));

    // The session Better Auth created resolves, by cookie and by bearer.
    Reply byCookie = call(port, "GET", "/api/v1/auth/get-session", {},
                          {{"Cookie", session->getValue<std::string>("cookieHeader")}});
    CPPUNIT_ASSERT_EQUAL(200, byCookie.status);
    CPPUNIT_ASSERT_MESSAGE(byCookie.body, byCookie.body != "null");
    auto resolved = parseObject(byCookie.body);
    CPPUNIT_ASSERT_EQUAL(session->getValue<std::string>("id"), resolved->getObject("session")->getValue<std::string>("id"));
    CPPUNIT_ASSERT_EQUAL(user->getValue<std::string>("id"), resolved->getObject("user")->getValue<std::string>("id"));
    Reply byBearer = call(port, "GET", "/api/v1/auth/get-session", {},
                          {{"Authorization", "Bearer " + session->getValue<std::string>("bearer")}});
    CPPUNIT_ASSERT(byBearer.body.find(session->getValue<std::string>("id")) != std::string::npos);

    // Its user signs in with the password Better Auth hashed.
    Reply signIn = call(port, "POST", "/api/v1/auth/sign-in/email",
                        "{\"email\":\"" + user->getValue<std::string>("email") + "\",\"password\":\"" +
                            user->getValue<std::string>("password") + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(signIn.body, 200, signIn.status);
    CPPUNIT_ASSERT_EQUAL(user->getValue<std::string>("id"),
                         parseObject(signIn.body)->getObject("user")->getValue<std::string>("id"));

    // Its JWKS key is still published and still signs.
    Reply published = call(port, "GET", "/api/v1/auth/jwks");
    CPPUNIT_ASSERT_EQUAL(200, published.status);
    auto keys = parseObject(published.body)->getArray("keys");
    CPPUNIT_ASSERT_EQUAL(size_t{1}, keys->size());
    CPPUNIT_ASSERT_EQUAL(fixtureKey->getValue<std::string>("kid"), keys->getObject(0)->getValue<std::string>("kid"));
    CPPUNIT_ASSERT_EQUAL(fixtureKey->getValue<std::string>("x"), keys->getObject(0)->getValue<std::string>("x"));

    Reply token = call(port, "GET", "/api/v1/auth/token", {},
                       {{"Cookie", session->getValue<std::string>("cookieHeader")}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(token.body, 200, token.status);
    auto publicKey = crow::host::importJwk(*fixtureKey);
    auto claims = crow::host::verifyJwt(parseObject(token.body)->getValue<std::string>("token"), publicKey.get(),
                                        JwtAlgorithm::EdDSA);
    CPPUNIT_ASSERT_MESSAGE("crow-auth's JWT does not verify with Better Auth's key", claims.has_value());
    CPPUNIT_ASSERT_EQUAL(user->getValue<std::string>("id"), (*claims)->getValue<std::string>("sub"));
    // And the token Better Auth issued verifies with the key crow-auth publishes.
    auto republished = crow::host::importJwk(*keys->getObject(0));
    CPPUNIT_ASSERT(crow::host::verifyJwt(fixture->getObject("jwt")->getValue<std::string>("token"), republished.get(),
                                         JwtAlgorithm::EdDSA)
                       .has_value());

    server.signal(SIGTERM);
    CPPUNIT_ASSERT_EQUAL(0, server.wait(15000).exitCode);
    fs::remove_all(dir);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BetterAuthDatabaseTest);
