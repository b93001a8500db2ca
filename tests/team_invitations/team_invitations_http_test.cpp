// The team-invitations plugin through the real binary, next to the organization plugin it builds
// on: bulk invites with skipped entries, the pending list, the resend limit (429 + X-Retry-After),
// revoke, other organizations' ids (404, nothing leaked), the email rows in crow_outbox, and a new
// user joining through the emailed invitation id.
#include "served_crow.hpp"
#include "test_database.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using crow_test::Reply;
using crow_test::ServedCrow;
using crow_test::ServeOptions;

namespace {

// The notification service on a closed port: email messages stay in crow_outbox for the test.
const std::string kYaml =
    "services:\n"
    "  notification:\n    url: http://127.0.0.1:9\n    apiKey: note-key-0123456789\n"
    "plugins:\n"
    "  - id: organization\n"
    "    config:\n"
    "      requireEmailVerificationOnInvitation: false\n"
    "  - id: team-invitations\n"
    "    config:\n"
    "      resendInterval: 2\n"
    "      linkBase: https://dashboard.example.com/accept-invitation/\n";

Poco::JSON::Object::Ptr object(const Reply& r) {
  auto v = Poco::JSON::Parser().parse(r.body);
  CPPUNIT_ASSERT_MESSAGE(r.body, v.type() == typeid(Poco::JSON::Object::Ptr));
  return v.extract<Poco::JSON::Object::Ptr>();
}

void expectError(const Reply& r, int status, const std::string& code) {
  CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, status, r.status);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, code, object(r)->getValue<std::string>("code"));
}

// The database's answer without its trailing newline.
std::string query(const org_test::TestDatabase& db, const ServedCrow& server, const std::string& sql) {
  std::string out = db.query(server, sql);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

struct Client {
  const ServedCrow& server;
  std::string cookie;
  Reply post(const std::string& path, const std::string& json) const {
    return server.postJson(path, json, {{"Cookie", cookie}});
  }
  Reply get(const std::string& path) const { return server.get(path, {{"Cookie", cookie}}); }
};

std::string createOrg(const Client& c, const std::string& slug) {
  Reply r = c.post("/organization/create", R"({"name":"Org )" + slug + R"(","slug":")" + slug + R"("})");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
  return object(r)->getValue<std::string>("id");
}

std::string inviteOne(const Client& c, const std::string& email, const std::string& role = "member") {
  Reply r = c.post("/team-invitations/invite", R"({"emails":[")" + email + R"("],"role":")" + role + R"("})");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
  auto invitations = object(r)->getArray("invitations");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, size_t(1), invitations->size());
  return invitations->getObject(0)->getValue<std::string>("id");
}

std::string emailRows(const org_test::TestDatabase& db, const ServedCrow& server, const std::string& invitationId) {
  return query(db, server, R"(SELECT count(*) FROM crow_outbox WHERE destination='notification' AND "aggregateId"=')" +
                               invitationId + "'");
}

}  // namespace

class TeamInvitationsHttpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(TeamInvitationsHttpTest);
  CPPUNIT_TEST(invitesSeveralAndSkipsTheRest);
  CPPUNIT_TEST(resendIsRateLimitedAndRevokeCancels);
  CPPUNIT_TEST(otherOrganizationsAndStrangersGetNothing);
  CPPUNIT_TEST(aNewUserJoinsThroughTheInvitation);
  CPPUNIT_TEST(parallelInvitesOfOneEmailGiveOneInvitation);
  CPPUNIT_TEST_SUITE_END();

 public:
  void invitesSeveralAndSkipsTheRest() {
    org_test::TestDatabase db;
    ServedCrow server(db.serveOptions(kYaml));
    Client alice{server, server.signUp("alice@example.com")};
    Client carol{server, server.signUp("carol@example.com")};
    // No session, no active organization.
    expectError(server.postJson("/team-invitations/invite", R"({"emails":["x@example.com"]})"), 401, "UNAUTHORIZED");
    expectError(alice.post("/team-invitations/invite", R"({"emails":["x@example.com"]})"), 400, "NO_ACTIVE_ORGANIZATION");
    expectError(server.get("/team-invitations/list"), 401, "UNAUTHORIZED");

    createOrg(alice, "acme");
    // Carol becomes a member so her address is skipped.
    const std::string carolInvite = inviteOne(alice, "carol@example.com");
    Reply joined = carol.post("/organization/accept-invitation", R"({"invitationId":")" + carolInvite + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(joined.body, 200, joined.status);
    const std::string bobInvite = inviteOne(alice, "bob@example.com");

    Reply r = alice.post("/team-invitations/invite",
                         R"({"emails":["Dave@Example.com","erin@example.com","not-an-email","carol@example.com",)"
                         R"("BOB@example.com","dave@example.com"],"role":"admin"})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
    auto invitations = object(r)->getArray("invitations");
    CPPUNIT_ASSERT_EQUAL(size_t(2), invitations->size());
    CPPUNIT_ASSERT_EQUAL(std::string("dave@example.com"), invitations->getObject(0)->getValue<std::string>("email"));
    CPPUNIT_ASSERT_EQUAL(std::string("admin"), invitations->getObject(0)->getValue<std::string>("role"));
    CPPUNIT_ASSERT_EQUAL(std::string("pending"), invitations->getObject(1)->getValue<std::string>("status"));
    auto skipped = object(r)->getArray("skipped");
    CPPUNIT_ASSERT_EQUAL(size_t(4), skipped->size());
    const std::string reasons[] = {"invalid_email", "already_member", "already_invited", "duplicate"};
    for (unsigned i = 0; i < 4; ++i)
      CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, reasons[i], skipped->getObject(i)->getValue<std::string>("reason"));

    // Each new invitation has one email row with the dashboard link.
    const std::string daveId = invitations->getObject(0)->getValue<std::string>("id");
    CPPUNIT_ASSERT_EQUAL(std::string("1"), emailRows(db, server, daveId));
    auto payload = Poco::JSON::Parser()
                       .parse(query(db, server, R"(SELECT payload FROM crow_outbox WHERE "aggregateId"=')" + daveId + "'"))
                       .extract<Poco::JSON::Object::Ptr>();
    CPPUNIT_ASSERT_EQUAL("https://dashboard.example.com/accept-invitation/" + daveId, payload->getValue<std::string>("url"));
    CPPUNIT_ASSERT_EQUAL(std::string("dave@example.com"), payload->getValue<std::string>("to"));
    CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"), payload->getObject("inviter")->getValue<std::string>("email"));
    CPPUNIT_ASSERT_EQUAL(std::string("email.organization-invitation"),
                         query(db, server, R"(SELECT "eventType" FROM crow_outbox WHERE "aggregateId"=')" + daveId + "'"));

    // The list: bob, dave, erin pending (carol's accepted one is not).
    Reply list = alice.get("/team-invitations/list");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(list.body, 200, list.status);
    auto listed = object(list)->getArray("invitations");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(list.body, size_t(3), listed->size());
    CPPUNIT_ASSERT_EQUAL(bobInvite, listed->getObject(0)->getValue<std::string>("id"));

    // Bad input is a 400; a plain member may not invite; an admin may not invite an owner.
    expectError(alice.post("/team-invitations/invite", R"({"emails":[]})"), 400, "VALIDATION_ERROR");
    expectError(alice.post("/team-invitations/invite", R"({"emails":[5]})"), 400, "VALIDATION_ERROR");
    expectError(alice.post("/team-invitations/invite", R"({"emails":["a@b.co"],"role":"root"})"), 400, "VALIDATION_ERROR");
    std::string many = R"({"emails":[)";
    for (int i = 0; i < 51; ++i) many += (i ? "," : "") + std::string("\"u") + std::to_string(i) + "@example.com\"";
    expectError(alice.post("/team-invitations/invite", many + "]}"), 400, "VALIDATION_ERROR");
    expectError(carol.post("/team-invitations/invite", R"({"emails":["z@example.com"]})"), 403,
                "YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION");
    expectError(carol.get("/team-invitations/list"), 403, "YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION");

    Client dave{server, server.signUp("dave@example.com")};
    Reply daveJoined = dave.post("/organization/accept-invitation", R"({"invitationId":")" + daveId + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(daveJoined.body, 200, daveJoined.status);
    expectError(dave.post("/team-invitations/invite", R"({"emails":["z@example.com"],"role":"owner"})"), 403,
                "YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE");
    Reply byAdmin = dave.post("/team-invitations/invite", R"({"emails":["z@example.com"]})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(byAdmin.body, 200, byAdmin.status);
    Reply ownerInvite = alice.post("/team-invitations/invite", R"({"emails":["o@example.com"],"role":"owner"})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(ownerInvite.body, 200, ownerInvite.status);
  }

  void resendIsRateLimitedAndRevokeCancels() {
    org_test::TestDatabase db;
    ServedCrow server(db.serveOptions(kYaml));
    Client alice{server, server.signUp("alice@example.com")};
    createOrg(alice, "acme");
    const std::string id = inviteOne(alice, "bob@example.com");
    // The expiry as the API writes it (ISO 8601), so the comparison below is one of times.
    const std::string before = object(alice.get("/team-invitations/list"))
                                    ->getArray("invitations")
                                    ->getObject(0)
                                    ->getValue<std::string>("expiresAt");

    // Inside the interval of the invite's own email: 429 with the wait.
    Reply early = alice.post("/team-invitations/resend", R"({"invitationId":")" + id + "\"}");
    expectError(early, 429, "INVITATION_RESENT_TOO_RECENTLY");
    CPPUNIT_ASSERT(early.header("x-retry-after") != nullptr);
    const int wait = std::stoi(*early.header("x-retry-after"));
    CPPUNIT_ASSERT(wait >= 1 && wait <= 2);
    CPPUNIT_ASSERT_EQUAL(std::string("1"), emailRows(db, server, id));

    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    Reply resent = alice.post("/team-invitations/resend", R"({"invitationId":")" + id + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(resent.body, 200, resent.status);
    CPPUNIT_ASSERT_EQUAL(id, object(resent)->getValue<std::string>("id"));
    CPPUNIT_ASSERT(object(resent)->getValue<std::string>("expiresAt") > before);
    CPPUNIT_ASSERT_EQUAL(std::string("2"), emailRows(db, server, id));
    expectError(alice.post("/team-invitations/resend", R"({"invitationId":")" + id + "\"}"), 429,
                "INVITATION_RESENT_TOO_RECENTLY");
    CPPUNIT_ASSERT_EQUAL(std::string("2"), emailRows(db, server, id));

    Reply revoked = alice.post("/team-invitations/revoke", R"({"invitationId":")" + id + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(revoked.body, 200, revoked.status);
    CPPUNIT_ASSERT_EQUAL(std::string("canceled"), object(revoked)->getObject("invitation")->getValue<std::string>("status"));
    CPPUNIT_ASSERT_EQUAL(std::string("canceled"), query(db, server, "SELECT status FROM invitation WHERE id='" + id + "'"));
    CPPUNIT_ASSERT_EQUAL(size_t(0), object(alice.get("/team-invitations/list"))->getArray("invitations")->size());
    expectError(alice.post("/team-invitations/revoke", R"({"invitationId":")" + id + "\"}"), 404, "INVITATION_NOT_FOUND");
    expectError(alice.post("/team-invitations/resend", R"({"invitationId":")" + id + "\"}"), 404, "INVITATION_NOT_FOUND");
    // A canceled invitation can no longer be accepted.
    Client bob{server, server.signUp("bob@example.com")};
    Reply accept = bob.post("/organization/accept-invitation", R"({"invitationId":")" + id + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(accept.body, 400, accept.status);
  }

  void otherOrganizationsAndStrangersGetNothing() {
    org_test::TestDatabase db;
    ServedCrow server(db.serveOptions(kYaml));
    Client alice{server, server.signUp("alice@example.com")};
    Client mallory{server, server.signUp("mallory@example.com")};
    createOrg(alice, "acme");
    const std::string id = inviteOne(alice, "bob@example.com");
    createOrg(mallory, "evil");
    for (const char* route : {"/team-invitations/resend", "/team-invitations/revoke"}) {
      Reply r = mallory.post(route, R"({"invitationId":")" + id + "\"}");
      expectError(r, 404, "INVITATION_NOT_FOUND");
      CPPUNIT_ASSERT(r.body.find("bob@") == std::string::npos);
    }
    CPPUNIT_ASSERT_EQUAL(size_t(0), object(mallory.get("/team-invitations/list"))->getArray("invitations")->size());
    CPPUNIT_ASSERT_EQUAL(std::string("pending"), query(db, server, "SELECT status FROM invitation WHERE id='" + id + "'"));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), emailRows(db, server, id));
    expectError(server.postJson("/team-invitations/revoke", R"({"invitationId":")" + id + "\"}"), 401, "UNAUTHORIZED");
    expectError(alice.post("/team-invitations/revoke", R"({})"), 400, "VALIDATION_ERROR");
  }

  void aNewUserJoinsThroughTheInvitation() {
    org_test::TestDatabase db;
    ServedCrow server(db.serveOptions(kYaml));
    Client alice{server, server.signUp("alice@example.com")};
    const std::string orgId = createOrg(alice, "acme");
    const std::string id = inviteOne(alice, "newcomer@example.com", "admin");
    // What the dashboard does with the emailed link: sign up, then accept the id from the link.
    Client newcomer{server, server.signUp("newcomer@example.com")};
    Reply accepted = newcomer.post("/organization/accept-invitation", R"({"invitationId":")" + id + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(accepted.body, 200, accepted.status);
    auto member = object(accepted)->getObject("member");
    CPPUNIT_ASSERT_EQUAL(orgId, member->getValue<std::string>("organizationId"));
    CPPUNIT_ASSERT_EQUAL(std::string("admin"), member->getValue<std::string>("role"));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), query(db, server, R"(SELECT count(*) FROM member m JOIN "user" u ON u.id=m."userId" )"
                                                          R"(WHERE u.email='newcomer@example.com' AND m."organizationId"=')" +
                                                              orgId + "'"));
    // Now a member, so a second invite skips the address; the accepted one left the list.
    Reply again = alice.post("/team-invitations/invite", R"({"emails":["newcomer@example.com"]})");
    CPPUNIT_ASSERT_EQUAL(std::string("already_member"),
                         object(again)->getArray("skipped")->getObject(0)->getValue<std::string>("reason"));
    CPPUNIT_ASSERT_EQUAL(size_t(0), object(alice.get("/team-invitations/list"))->getArray("invitations")->size());
    // The newcomer's session now has the organization active: as an admin they see its list.
    Reply list = newcomer.get("/team-invitations/list");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(list.body, 200, list.status);
  }

  // Ten at once, half through this plugin and half through organization/invite-member: one
  // pending invitation, one email; the rest are told it is already invited.
  void parallelInvitesOfOneEmailGiveOneInvitation() {
    org_test::TestDatabase db;
    ServedCrow server(db.serveOptions(kYaml));
    Client alice{server, server.signUp("alice@example.com")};
    createOrg(alice, "acme");
    std::atomic<int> created{0}, refused{0};
    std::vector<std::string> other;
    std::mutex otherMutex;
    std::vector<std::thread> threads;
    for (int i = 0; i < 10; ++i)
      threads.emplace_back([&, i] {
        Reply r = i % 2 == 0
                      ? alice.post("/team-invitations/invite", R"({"emails":["dup@example.com"],"role":"member"})")
                      : alice.post("/organization/invite-member", R"({"email":"dup@example.com","role":"member"})");
        if (i % 2 == 0 && r.status == 200) {
          auto body = object(r);
          if (body->getArray("invitations")->size() == 1) ++created;
          else if (body->getArray("skipped")->getObject(0)->getValue<std::string>("reason") == "already_invited") ++refused;
          else {
            std::lock_guard lock(otherMutex);
            other.push_back(r.body);
          }
        } else if (i % 2 == 1 && r.status == 200) {
          ++created;
        } else if (i % 2 == 1 && r.status == 400 &&
                   r.body.find("USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION") != std::string::npos) {
          ++refused;
        } else {
          std::lock_guard lock(otherMutex);
          other.push_back(std::to_string(r.status) + " " + r.body);
        }
      });
    for (auto& t : threads) t.join();
    CPPUNIT_ASSERT_MESSAGE(other.empty() ? "" : other.front(), other.empty());
    CPPUNIT_ASSERT_EQUAL(1, created.load());
    CPPUNIT_ASSERT_EQUAL(9, refused.load());
    CPPUNIT_ASSERT_EQUAL(std::string("1"),
                         query(db, server, "SELECT count(*) FROM invitation WHERE email='dup@example.com' AND status='pending'"));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), query(db, server, "SELECT count(*) FROM crow_outbox WHERE destination='notification'"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TeamInvitationsHttpTest);
