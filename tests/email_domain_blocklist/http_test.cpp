// The built plugin (email-domain-blocklist.so) loaded by the real `crow-auth serve` on SQLite:
// sign-up answers what the reference server answers for a blocked domain and creates no user, and
// a blockFile that cannot be read stops start-up with the file's name.
#include "served_crow.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <cppunit/extensions/HelperMacros.h>

using crow_test::Reply;
using crow_test::ScratchDir;
using crow_test::ServedCrow;
using crow_test::ServeOptions;

namespace {

// The configuration under test: the built-in list, one extra entry in Unicode (gmаil.com with a
// Cyrillic 'а'), an allow entry under gmail.com, and a file.
std::string pluginYaml(const std::string& blockFile) {
  return "plugins:\n"
         "  - id: email-domain-blocklist\n"
         "    config:\n"
         "      block: [\"blocked.example\", \"gm\u0430il.com\"]\n"
         "      allow: [partner.gmail.com]\n"
         "      blockFile: \"" + blockFile + "\"\n";
}

std::string signUpBody(const std::string& email) {
  return R"({"email":")" + email + R"(","password":"password1234","name":"Test User"})";
}

// Rows of `user` with this email, read straight from the SQLite file the server writes.
int usersWithEmail(const ServedCrow& server, const std::string& email) {
  Poco::Data::SQLite::Connector::registerConnector();
  Poco::Data::Session session("SQLite", server.dir().path() + "/crow.db");
  int count = -1;
  std::string value = email;
  session << "SELECT COUNT(*) FROM \"user\" WHERE email = ?", Poco::Data::Keywords::use(value),
      Poco::Data::Keywords::into(count), Poco::Data::Keywords::now;
  return count;
}

void assertDomainRefused(const Reply& reply, const std::string& domain) {
  CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, 400, reply.status);
  CPPUNIT_ASSERT_MESSAGE(reply.body, reply.body.find(R"("code":"EMAIL_DOMAIN_NOT_ALLOWED")") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(reply.body, reply.body.find(R"("message":"Sign-ups from )" + domain +
                                                     R"( addresses are not allowed")") != std::string::npos);
  CPPUNIT_ASSERT(reply.header("set-cookie") == nullptr);
}

// The generated config of ServedCrow, for runs that must fail before the server listens.
std::string baseConfig(const ScratchDir& dir) {
  return "environment: local\n"
         "server:\n  host: 127.0.0.1\n  port: 0\n"
         "baseURL: http://localhost:3000\n"
         "basePath: /api/v1/auth\n"
         "trustedOrigins: http://localhost:3000\n"
         "database:\n  url: \"sqlite://" + dir.path() + "/crow.db\"\n"
         "logging:\n  level: info\n  accessLog: false\n";
}

crow_test::ProcessResult runCrow(const std::string& verb, const std::string& configPath) {
  return crow_test::runProcess({crow_test::crowExecutable(), verb, "--config", configPath}, 60000,
                               {"BETTER_AUTH_SECRET=test-secret-0123456789abcdef0123456789abcdef"});
}

void assertContains(const std::string& text, const std::string& part) {
  CPPUNIT_ASSERT_MESSAGE("\"" + text + "\" lacks \"" + part + "\"", text.find(part) != std::string::npos);
}

}  // namespace

class EmailDomainBlocklistHttpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(EmailDomainBlocklistHttpTest);
  CPPUNIT_TEST(signUpRulesThroughTheRealServer);
  CPPUNIT_TEST(missingBlockFileStopsStartUp);
  CPPUNIT_TEST(badBlockFileLineStopsStartUp);
  CPPUNIT_TEST(badConfigStopsStartUp);
  CPPUNIT_TEST_SUITE_END();

 public:
  void signUpRulesThroughTheRealServer() {
    ScratchDir files;
    const std::string blockFile = files.write("blocked-domains.txt", "# extra\nfromfile.example\n");
    ServedCrow server(ServeOptions{.yaml = pluginYaml(blockFile)});

    // A consumer domain from the built-in list: refused, as the reference server does, and no
    // user (nor anything else of the sign-up) is left behind.
    assertDomainRefused(server.postJson("/sign-up/email", signUpBody("someone@gmail.com")), "gmail.com");
    CPPUNIT_ASSERT_EQUAL(0, usersWithEmail(server, "someone@gmail.com"));
    const Reply signIn = server.postJson("/sign-in/email", R"({"email":"someone@gmail.com","password":"password1234"})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(signIn.body, 401, signIn.status);

    // Case, subdomains, suffix wildcards, the config list, the file, and the A-label spelling of
    // a Unicode entry.
    assertDomainRefused(server.postJson("/sign-up/email", signUpBody("Someone@GMAIL.COM")), "gmail.com");
    assertDomainRefused(server.postJson("/sign-up/email", signUpBody("someone@mail.gmail.com")), "mail.gmail.com");
    assertDomainRefused(server.postJson("/sign-up/email", signUpBody("someone@yahoo.co.uk")), "yahoo.co.uk");
    assertDomainRefused(server.postJson("/sign-up/email", signUpBody("someone@outlook.de")), "outlook.de");
    assertDomainRefused(server.postJson("/sign-up/email", signUpBody("someone@blocked.example")), "blocked.example");
    assertDomainRefused(server.postJson("/sign-up/email", signUpBody("someone@fromfile.example")), "fromfile.example");
    assertDomainRefused(server.postJson("/sign-up/email", signUpBody("someone@a.fromfile.example")),
                        "a.fromfile.example");
    assertDomainRefused(server.postJson("/sign-up/email", signUpBody("someone@xn--gmil-63d.com")), "xn--gmil-63d.com");
    CPPUNIT_ASSERT_EQUAL(0, usersWithEmail(server, "someone@xn--gmil-63d.com"));

    // The allow entry wins over the built-in gmail.com entry.
    server.signUp("someone@partner.gmail.com");
    CPPUNIT_ASSERT_EQUAL(1, usersWithEmail(server, "someone@partner.gmail.com"));

    // A business domain signs up, gets a session, and may still change its profile: the update
    // hook only looks at patches that carry an email.
    const std::string cookie = server.signUp("someone@acme-corp.example");
    CPPUNIT_ASSERT_EQUAL(1, usersWithEmail(server, "someone@acme-corp.example"));
    const Reply session = server.get("/get-session", {{"Cookie", cookie}});
    CPPUNIT_ASSERT_EQUAL(200, session.status);
    assertContains(session.body, R"("email":"someone@acme-corp.example")");
    const Reply update = server.postJson("/update-user", R"({"name":"Renamed"})", {{"Cookie", cookie}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(update.body, 200, update.status);
    // The core refuses email changes on update-user before any write; the plugin's update hook is
    // tested at the unit level (hooks_test.cpp).
    const Reply changeEmail = server.postJson("/update-user", R"({"email":"someone@gmail.com"})", {{"Cookie", cookie}});
    CPPUNIT_ASSERT_EQUAL(400, changeEmail.status);
    CPPUNIT_ASSERT_EQUAL(1, usersWithEmail(server, "someone@acme-corp.example"));

    // The refusal is logged with the domain, never the address.
    server.stop();
    assertContains(server.process().err(), "refused email domain");
    CPPUNIT_ASSERT(server.process().err().find("someone@gmail.com") == std::string::npos);
  }

  void missingBlockFileStopsStartUp() {
    ScratchDir dir;
    const std::string missing = dir.path() + "/missing-domains.txt";
    const std::string config = dir.write("crow-auth.yaml", baseConfig(dir) + pluginYaml(missing));
    for (const char* verb : {"serve", "check-config"}) {
      const auto result = runCrow(verb, config);
      CPPUNIT_ASSERT_MESSAGE(std::string(verb) + " timed out", !result.timedOut);
      CPPUNIT_ASSERT_MESSAGE(std::string(verb) + " exited 0:\n" + result.err, result.exitCode != 0);
      assertContains(result.err, "email-domain-blocklist");
      assertContains(result.err, "blockFile");
      assertContains(result.err, missing);
      assertContains(result.err, "No such file or directory");
      CPPUNIT_ASSERT(result.out.find("listening on") == std::string::npos);
    }
    // A directory where the file should be.
    const std::string asDirectory = dir.write("crow-dir.yaml", baseConfig(dir) + pluginYaml(dir.path()));
    const auto result = runCrow("check-config", asDirectory);
    CPPUNIT_ASSERT(result.exitCode != 0);
    assertContains(result.err, "is a directory");
  }

  void badBlockFileLineStopsStartUp() {
    ScratchDir dir;
    const std::string file = dir.write("blocked.txt", "good.example\n\n*.bad.example\n");
    const std::string config = dir.write("crow-auth.yaml", baseConfig(dir) + pluginYaml(file));
    const auto result = runCrow("check-config", config);
    CPPUNIT_ASSERT_MESSAGE(result.err, result.exitCode != 0);
    assertContains(result.err, file + ":3: \"*.bad.example\"");
  }

  void badConfigStopsStartUp() {
    ScratchDir dir;
    const std::string unknownKey = dir.write("unknown.yaml", baseConfig(dir) +
                                                                 "plugins:\n"
                                                                 "  - id: email-domain-blocklist\n"
                                                                 "    config:\n"
                                                                 "      blok: [gmail.com]\n");
    auto result = runCrow("check-config", unknownKey);
    CPPUNIT_ASSERT_MESSAGE(result.err, result.exitCode != 0);
    assertContains(result.err, "blok");

    const std::string badEntry = dir.write("entry.yaml", baseConfig(dir) +
                                                             "plugins:\n"
                                                             "  - id: email-domain-blocklist\n"
                                                             "    config:\n"
                                                             "      allow: [\"someone@corp.example\"]\n");
    result = runCrow("serve", badEntry);
    CPPUNIT_ASSERT_MESSAGE(result.err, result.exitCode != 0);
    assertContains(result.err, "allow");
    assertContains(result.err, "someone@corp.example");
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EmailDomainBlocklistHttpTest);
