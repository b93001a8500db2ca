// The organization plugin through the real binary: Better Auth's routes, shapes and errors
// (CONTRACT.md §7), the rules Better Auth leaves to configuration (owners, admins, other
// organizations' ids), invitations (expiry, cancel, ten parallel accepts) and the outbox rows.
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

using crow_test::HeaderList;
using crow_test::Reply;
using crow_test::ServedCrow;
using crow_test::ServeOptions;
using org_test::TestDatabase;

namespace {

// Outbound services on a closed port: messages stay in crow_outbox for the test to read.
std::string yaml(const std::string& pluginConfig) {
  return "services:\n"
         "  organization:\n    url: http://127.0.0.1:9\n    apiKey: org-key-0123456789\n"
         "  user:\n    url: http://127.0.0.1:9\n    apiKey: user-key-0123456789\n"
         "  notification:\n    url: http://127.0.0.1:9\n    apiKey: note-key-0123456789\n"
         "plugins:\n"
         "  - id: organization\n"
         "    config:\n" + pluginConfig;
}

const std::string kDefaultConfig = "      requireEmailVerificationOnInvitation: false\n";

Poco::Dynamic::Var parse(const std::string& body) { return Poco::JSON::Parser().parse(body); }
Poco::JSON::Object::Ptr object(const Reply& r) {
  auto v = parse(r.body);
  CPPUNIT_ASSERT_MESSAGE(r.body, v.type() == typeid(Poco::JSON::Object::Ptr));
  return v.extract<Poco::JSON::Object::Ptr>();
}
Poco::JSON::Array::Ptr array(const Reply& r) {
  auto v = parse(r.body);
  CPPUNIT_ASSERT_MESSAGE(r.body, v.type() == typeid(Poco::JSON::Array::Ptr));
  return v.extract<Poco::JSON::Array::Ptr>();
}

// One signed-in user of a served crow.
struct Client {
  const ServedCrow& server;
  std::string cookie;
  Reply post(const std::string& path, const std::string& json) const {
    return server.postJson("/organization/" + path, json, {{"Cookie", cookie}});
  }
  Reply get(const std::string& path) const { return server.get("/organization/" + path, {{"Cookie", cookie}}); }
};

void expectError(const Reply& r, int status, const std::string& code) {
  CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, status, r.status);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, code, object(r)->getValue<std::string>("code"));
}

std::string createOrg(const Client& c, const std::string& slug) {
  Reply r = c.post("create", R"({"name":"Org )" + slug + R"(","slug":")" + slug + R"("})");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
  return object(r)->getValue<std::string>("id");
}

std::string invite(const Client& c, const std::string& email, const std::string& role, const std::string& orgId) {
  Reply r = c.post("invite-member",
                   R"({"email":")" + email + R"(","role":")" + role + R"(","organizationId":")" + orgId + R"("})");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
  return object(r)->getValue<std::string>("id");
}

std::string memberIdOf(const Client& c, const std::string& orgId, const std::string& email) {
  auto members = object(c.get("list-members?organizationId=" + orgId))->getArray("members");
  for (size_t i = 0; i < members->size(); ++i) {
    auto m = members->getObject(static_cast<unsigned>(i));
    if (m->getObject("user")->getValue<std::string>("email") == email) return m->getValue<std::string>("id");
  }
  CPPUNIT_FAIL("no member " + email);
  return {};
}

}  // namespace

class OrganizationHttpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OrganizationHttpTest);
  CPPUNIT_TEST(createsOrganizationsAndWritesSyncEvents);
  CPPUNIT_TEST(setActiveShowsOnTheNextGetSession);
  CPPUNIT_TEST(refusesBadInputWith400);
  CPPUNIT_TEST(runsAnInvitationAndTheRoleRules);
  CPPUNIT_TEST(keepsOrganizationsApart);
  CPPUNIT_TEST(expiredAndCanceledInvitationsCannotBeAccepted);
  CPPUNIT_TEST(tenParallelAcceptsGiveOneMember);
  CPPUNIT_TEST(tenParallelInvitesGiveOnePendingInvitation);
  CPPUNIT_TEST(acceptNeedsAVerifiedEmailByDefault);
  CPPUNIT_TEST(limitsAndUnknownConfigKeys);
  CPPUNIT_TEST(addMemberIsForServicesOnly);
  CPPUNIT_TEST(survivesHostileBodies);
  CPPUNIT_TEST_SUITE_END();

 public:
  void createsOrganizationsAndWritesSyncEvents() {
    TestDatabase db;
    ServedCrow server(db.serveOptions(yaml(kDefaultConfig)));
    Reply anonymous = server.postJson("/organization/create", R"({"name":"Acme","slug":"acme"})");
    CPPUNIT_ASSERT_EQUAL(401, anonymous.status);
    CPPUNIT_ASSERT_EQUAL(std::string(), anonymous.body);

    Client alice{server, server.signUp("alice@example.com")};
    Reply created = alice.post("create", R"({"name":"Acme","slug":"acme","logo":"https://logo","metadata":{"plan":"pro"}})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 200, created.status);
    auto org = object(created);
    const std::string orgId = org->getValue<std::string>("id");
    CPPUNIT_ASSERT_EQUAL(std::size_t(32), orgId.size());
    CPPUNIT_ASSERT_EQUAL(std::string("acme"), org->getValue<std::string>("slug"));
    CPPUNIT_ASSERT_EQUAL(std::string("pro"), org->getObject("metadata")->getValue<std::string>("plan"));
    auto members = org->getArray("members");
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), members->size());
    CPPUNIT_ASSERT_EQUAL(std::string("owner"), members->getObject(0)->getValue<std::string>("role"));
    CPPUNIT_ASSERT_EQUAL(orgId, members->getObject(0)->getValue<std::string>("organizationId"));

    expectError(alice.post("create", R"({"name":"Acme2","slug":"acme"})"), 400, "ORGANIZATION_ALREADY_EXISTS");
    expectError(alice.post("check-slug", R"({"slug":"acme"})"), 400, "ORGANIZATION_SLUG_ALREADY_TAKEN");
    Reply free = alice.post("check-slug", R"({"slug":"free-slug"})");
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"status":true})"), free.body);

    // list sends metadata as the stored JSON text, as Better Auth does.
    auto list = array(alice.get("list"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), list->size());
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"plan":"pro"})"), list->getObject(0)->getValue<std::string>("metadata"));

    // The organization service and the user service each get organization.created, in the
    // organization's transaction, with the organization and its first member.
    const std::string rows = db.query(server,
        R"(SELECT destination, path, "aggregateId", "eventType", "idempotencyKey" FROM crow_outbox )"
        R"(WHERE "eventType"='organization.created' ORDER BY destination)");
    CPPUNIT_ASSERT_MESSAGE(rows, rows.find("organization|/v1/organizations/events|" + orgId + "|organization.created|") !=
                                     std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(rows, rows.find("user|/v1/users/organization-events|" + orgId + "|organization.created|") !=
                                     std::string::npos);
    const std::string payload =
        db.query(server, R"(SELECT payload FROM crow_outbox WHERE destination='organization' AND "eventType"='organization.created')");
    auto p = parse(payload).extract<Poco::JSON::Object::Ptr>();
    CPPUNIT_ASSERT_EQUAL(std::string("organization.created"), p->getValue<std::string>("type"));
    CPPUNIT_ASSERT_EQUAL(orgId, p->getObject("organization")->getValue<std::string>("id"));
    CPPUNIT_ASSERT_EQUAL(std::string("pro"), p->getObject("organization")->getObject("metadata")->getValue<std::string>("plan"));
    CPPUNIT_ASSERT_EQUAL(std::string("owner"), p->getObject("member")->getValue<std::string>("role"));
    CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"),
                         p->getObject("member")->getObject("user")->getValue<std::string>("email"));

    // update (admin/owner) parses metadata back; delete sends it raw and removes everything.
    Reply updated = alice.post("update", R"({"data":{"name":"Acme Inc","metadata":{"plan":"team"}},"organizationId":")" + orgId + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(updated.body, 200, updated.status);
    CPPUNIT_ASSERT_EQUAL(std::string("team"), object(updated)->getObject("metadata")->getValue<std::string>("plan"));
    Reply deleted = alice.post("delete", R"({"organizationId":")" + orgId + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(deleted.body, 200, deleted.status);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"plan":"team"})"), object(deleted)->getValue<std::string>("metadata"));
    CPPUNIT_ASSERT_EQUAL(std::string("0\n"), db.query(server, "SELECT COUNT(*) FROM member"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), array(alice.get("list"))->size());
  }

  void setActiveShowsOnTheNextGetSession() {
    TestDatabase db;
    ServedCrow server(db.serveOptions(yaml(kDefaultConfig)));
    Client alice{server, server.signUp("alice@example.com")};
    Reply kept = alice.post("create", R"({"name":"Kept","slug":"kept","keepCurrentActiveOrganization":true})");
    CPPUNIT_ASSERT_EQUAL(200, kept.status);
    CPPUNIT_ASSERT(object(kept)->isNull("metadata") || !object(kept)->has("metadata"));
    auto session = object(server.get("/get-session", {{"Cookie", alice.cookie}}))->getObject("session");
    CPPUNIT_ASSERT(session->isNull("activeOrganizationId"));
    Reply none = alice.get("get-full-organization");
    CPPUNIT_ASSERT_EQUAL(std::string("null"), none.body);

    const std::string orgId = object(kept)->getValue<std::string>("id");
    Reply active = alice.post("set-active", R"({"organizationId":")" + orgId + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(active.body, 200, active.status);
    session = object(server.get("/get-session", {{"Cookie", alice.cookie}}))->getObject("session");
    CPPUNIT_ASSERT_EQUAL(orgId, session->getValue<std::string>("activeOrganizationId"));
    auto full = object(alice.get("get-full-organization"));
    CPPUNIT_ASSERT_EQUAL(orgId, full->getValue<std::string>("id"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), full->getArray("members")->size());
    CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"),
                         full->getArray("members")->getObject(0)->getObject("user")->getValue<std::string>("email"));
    auto member = object(alice.get("get-active-member"));
    CPPUNIT_ASSERT_EQUAL(std::string("owner"), member->getValue<std::string>("role"));

    Reply cleared = alice.post("set-active", R"({"organizationId":null})");
    CPPUNIT_ASSERT_EQUAL(std::string("null"), cleared.body);
    session = object(server.get("/get-session", {{"Cookie", alice.cookie}}))->getObject("session");
    CPPUNIT_ASSERT(session->isNull("activeOrganizationId"));
    expectError(alice.get("get-active-member"), 400, "NO_ACTIVE_ORGANIZATION");
    expectError(alice.post("set-active", R"({"organizationSlug":"nothing-here"})"), 400, "ORGANIZATION_NOT_FOUND");
    Reply bySlug = alice.post("set-active", R"({"organizationSlug":"kept"})");
    CPPUNIT_ASSERT_EQUAL(orgId, object(bySlug)->getValue<std::string>("id"));
  }

  void refusesBadInputWith400() {
    TestDatabase db;
    ServedCrow server(db.serveOptions(yaml(kDefaultConfig)));
    Client alice{server, server.signUp("alice@example.com")};
    const std::string orgId = createOrg(alice, "acme");
    for (const std::string& slug : std::vector<std::string>{"has space", "UPPER", "\u0430cme", "-edge", "", std::string(10 * 1024, 'a')}) {
      Reply r = alice.post("create", R"({"name":"X","slug":")" + slug + R"("})");
      expectError(r, 400, "VALIDATION_ERROR");
    }
    expectError(alice.post("create", R"({"name":"X","slug":"x1","metadata":"not json"})"), 400, "VALIDATION_ERROR");
    std::string nested = "1";
    for (int i = 0; i < 20; ++i) nested = R"({"a":)" + nested + "}";
    expectError(alice.post("create", R"({"name":"X","slug":"x2","metadata":)" + nested + "}"), 400, "VALIDATION_ERROR");
    expectError(alice.post("create", R"({"name":"X","slug":5})"), 400, "VALIDATION_ERROR");
    expectError(alice.post("create", R"({"name":"","slug":"x3"})"), 400, "VALIDATION_ERROR");
    expectError(alice.post("create", "not json"), 400, "BAD_REQUEST");

    Reply proto = alice.post("invite-member", R"({"email":"bob@example.com","role":"__proto__","organizationId":")" + orgId + "\"}");
    CPPUNIT_ASSERT_EQUAL(400, proto.status);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"message":"ROLE_NOT_FOUND: __proto__"})"), proto.body);
    Reply superuser = alice.post("invite-member", R"({"email":"bob@example.com","role":"superuser"})");
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"message":"ROLE_NOT_FOUND: superuser"})"), superuser.body);
    expectError(alice.post("invite-member", R"({"email":"bob@example.com","role":"member,member"})"), 400, "VALIDATION_ERROR");
    expectError(alice.post("invite-member", R"({"email":"not-an-email","role":"member"})"), 400, "VALIDATION_ERROR");
    expectError(alice.post("invite-member", R"({"email":"bob@example.com","role":5})"), 400, "VALIDATION_ERROR");
    expectError(alice.post("has-permission", R"({"permissions":{"constructor":["read"]}})"), 400, "INVALID_RESOURCE");
    expectError(alice.post("has-permission", R"({"permissions":"x"})"), 400, "VALIDATION_ERROR");
    Reply emptyRole = alice.post("update-member-role", R"({"memberId":"x","role":"owner,"})");
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"message":"ROLE_NOT_FOUND: "})"), emptyRole.body);
    // An owner may give several roles at once, Better Auth's comma-separated form.
    Reply multi = alice.post("invite-member", R"({"email":"carol@example.com","role":["member","admin"]})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(multi.body, 200, multi.status);
    CPPUNIT_ASSERT_EQUAL(std::string("member,admin"), object(multi)->getValue<std::string>("role"));
    CPPUNIT_ASSERT_EQUAL(std::string("1\n"), db.query(server, "SELECT COUNT(*) FROM organization"));
  }

  void runsAnInvitationAndTheRoleRules() {
    TestDatabase db;
    ServedCrow server(db.serveOptions(yaml(kDefaultConfig)));
    Client alice{server, server.signUp("alice@example.com")};
    Client bob{server, server.signUp("bob@example.com")};
    const std::string orgId = createOrg(alice, "acme");

    Reply invited = alice.post("invite-member", R"({"email":"Bob@Example.com","role":"member"})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(invited.body, 200, invited.status);
    auto invitation = object(invited);
    const std::string invitationId = invitation->getValue<std::string>("id");
    CPPUNIT_ASSERT_EQUAL(std::string("bob@example.com"), invitation->getValue<std::string>("email"));
    CPPUNIT_ASSERT_EQUAL(std::string("pending"), invitation->getValue<std::string>("status"));
    expectError(alice.post("invite-member", R"({"email":"bob@example.com","role":"member"})"), 400,
                "USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION");
    CPPUNIT_ASSERT_EQUAL(std::string("1\n"),
                         db.query(server, R"(SELECT COUNT(*) FROM crow_outbox WHERE destination='notification' AND )"
                                        R"("eventType"='email.organization-invitation')"));

    expectError(alice.get("get-invitation?id=" + invitationId), 403, "YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION");
    auto seen = object(bob.get("get-invitation?id=" + invitationId));
    CPPUNIT_ASSERT_EQUAL(std::string("acme"), seen->getValue<std::string>("organizationSlug"));
    CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"), seen->getValue<std::string>("inviterEmail"));
    expectError(bob.get("list-user-invitations"), 403, "EMAIL_VERIFICATION_REQUIRED_FOR_INVITATION");
    db.query(server, R"(UPDATE "user" SET "emailVerified"=true WHERE email='bob@example.com')");
    auto mine = array(bob.get("list-user-invitations"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), mine->size());
    CPPUNIT_ASSERT_EQUAL(std::string("Org acme"), mine->getObject(0)->getValue<std::string>("organizationName"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), array(alice.get("list-invitations"))->size());
    expectError(bob.post("accept-invitation", R"({"invitationId":"nope"})"), 400, "INVITATION_NOT_FOUND");
    expectError(alice.post("accept-invitation", R"({"invitationId":")" + invitationId + "\"}"), 403,
                "YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION");

    Reply accepted = bob.post("accept-invitation", R"({"invitationId":")" + invitationId + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(accepted.body, 200, accepted.status);
    CPPUNIT_ASSERT_EQUAL(std::string("accepted"), object(accepted)->getObject("invitation")->getValue<std::string>("status"));
    CPPUNIT_ASSERT_EQUAL(std::string("member"), object(accepted)->getObject("member")->getValue<std::string>("role"));
    expectError(bob.post("accept-invitation", R"({"invitationId":")" + invitationId + "\"}"), 400, "INVITATION_NOT_FOUND");
    CPPUNIT_ASSERT_EQUAL(2, object(alice.get("list-members"))->getValue<int>("total"));
    CPPUNIT_ASSERT_EQUAL(std::string("member"), object(bob.get("get-active-member"))->getValue<std::string>("role"));
    CPPUNIT_ASSERT_EQUAL(std::string("1\n"),
                         db.query(server, R"(SELECT COUNT(*) FROM crow_outbox WHERE destination='organization' AND "eventType"='member.added')"));

    // A member may not list invitations (1.7.25) or invite; has-permission follows the statements.
    expectError(bob.get("list-invitations"), 403, "YOU_ARE_NOT_ALLOWED_TO_LIST_INVITATIONS");
    expectError(bob.post("invite-member", R"({"email":"x@example.com","role":"member"})"), 403,
                "YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION");
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"error":null,"success":false})"),
                         bob.post("has-permission", R"({"permissions":{"member":["update"]}})").body);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"error":null,"success":true})"),
                         alice.post("has-permission", R"({"permissions":{"organization":["delete"]}})").body);
    const std::string bobMember = memberIdOf(alice, orgId, "bob@example.com");
    const std::string aliceMember = memberIdOf(alice, orgId, "alice@example.com");
    expectError(bob.post("remove-member", R"({"memberIdOrEmail":")" + aliceMember + "\"}"), 401,
                "YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER");

    Reply promoted = alice.post("update-member-role", R"({"memberId":")" + bobMember + R"(","role":"admin"})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(promoted.body, 200, promoted.status);
    CPPUNIT_ASSERT_EQUAL(std::string("admin"), object(promoted)->getValue<std::string>("role"));
    CPPUNIT_ASSERT_EQUAL(std::string("1\n"), db.query(server, R"(SELECT COUNT(*) FROM crow_outbox WHERE destination='user' AND )"
                                                            R"("eventType"='member.role-updated')"));
    // An admin may update the organization but not delete it, and cannot touch the owner.
    CPPUNIT_ASSERT_EQUAL(200, bob.post("update", R"({"data":{"logo":null}})").status);
    expectError(bob.post("delete", R"({"organizationId":")" + orgId + "\"}"), 403, "YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION");
    expectError(bob.post("remove-member", R"({"memberIdOrEmail":"alice@example.com"})"), 401,
                "YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER");
    expectError(bob.post("update-member-role", R"({"memberId":")" + aliceMember + R"(","role":"member"})"), 403,
                "YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER");
    expectError(bob.post("update-member-role", R"({"memberId":")" + bobMember + R"(","role":"owner"})"), 403,
                "YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER");
    expectError(bob.post("invite-member", R"({"email":"x@example.com","role":"member,owner"})"), 403,
                "YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE");

    // The last owner can neither leave, nor be removed, nor be demoted.
    expectError(alice.post("leave", R"({"organizationId":")" + orgId + "\"}"), 400,
                "YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER");
    expectError(alice.post("remove-member", R"({"memberIdOrEmail":"alice@example.com"})"), 400,
                "YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER");
    expectError(alice.post("update-member-role", R"({"memberId":")" + aliceMember + R"(","role":"admin"})"), 400,
                "YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER");

    // Cancel and reject.
    const std::string carolInvite = invite(alice, "carol@example.com", "member", orgId);
    Reply canceled = bob.post("cancel-invitation", R"({"invitationId":")" + carolInvite + "\"}");
    CPPUNIT_ASSERT_EQUAL(std::string("canceled"), object(canceled)->getValue<std::string>("status"));
    const std::string daveInvite = invite(alice, "dave@example.com", "member", orgId);
    expectError(bob.post("reject-invitation", R"({"invitationId":")" + daveInvite + "\"}"), 403,
                "YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION");
    Client dave{server, server.signUp("dave@example.com")};
    Reply rejected = dave.post("reject-invitation", R"({"invitationId":")" + daveInvite + "\"}");
    CPPUNIT_ASSERT_EQUAL(std::string("rejected"), object(rejected)->getObject("invitation")->getValue<std::string>("status"));
    CPPUNIT_ASSERT(object(rejected)->isNull("member"));

    Reply left = bob.post("leave", R"({"organizationId":")" + orgId + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(left.body, 200, left.status);
    CPPUNIT_ASSERT_EQUAL(std::string("bob@example.com"), object(left)->getObject("user")->getValue<std::string>("email"));
    CPPUNIT_ASSERT(object(server.get("/get-session", {{"Cookie", bob.cookie}}))->getObject("session")->isNull("activeOrganizationId"));
    CPPUNIT_ASSERT_EQUAL(std::string("member.removed\n"),
                         db.query(server, R"(SELECT "eventType" FROM crow_outbox WHERE destination='organization' ORDER BY id DESC LIMIT 1)"));
  }

  void keepsOrganizationsApart() {
    TestDatabase db;
    ServedCrow server(db.serveOptions(yaml(kDefaultConfig)));
    Client alice{server, server.signUp("alice@example.com")};
    Client carol{server, server.signUp("carol@example.com")};
    const std::string mine = createOrg(alice, "mine");
    const std::string theirs = createOrg(carol, "theirs");
    const std::string carolMember = memberIdOf(carol, theirs, "carol@example.com");
    const std::string carolInvite = invite(carol, "alice@example.com", "member", theirs);

    expectError(alice.post("set-active", R"({"organizationId":")" + theirs + "\"}"), 403, "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION");
    expectError(alice.get("get-full-organization?organizationId=" + theirs), 403, "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION");
    expectError(alice.get("get-full-organization?organizationSlug=theirs"), 403, "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION");
    expectError(alice.get("list-members?organizationId=" + theirs), 403, "YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION");
    Reply invitations = alice.get("list-invitations?organizationId=" + theirs);
    CPPUNIT_ASSERT_EQUAL(403, invitations.status);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"message":"You are not a member of this organization"})"), invitations.body);
    expectError(alice.post("update", R"({"data":{"name":"pwned"},"organizationId":")" + theirs + "\"}"), 400,
                "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION");
    expectError(alice.post("delete", R"({"organizationId":")" + theirs + "\"}"), 400, "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION");
    // Carol's member id used inside Alice's organization is not found there.
    expectError(alice.post("remove-member", R"({"memberIdOrEmail":")" + carolMember + R"(","organizationId":")" + mine + "\"}"),
                400, "MEMBER_NOT_FOUND");
    expectError(alice.post("update-member-role",
                           R"({"memberId":")" + carolMember + R"(","role":"member","organizationId":")" + mine + "\"}"),
                400, "MEMBER_NOT_FOUND");
    expectError(alice.post("remove-member", R"({"memberIdOrEmail":")" + carolMember + R"(","organizationId":")" + theirs + "\"}"),
                400, "MEMBER_NOT_FOUND");
    expectError(alice.post("cancel-invitation", R"({"invitationId":")" + carolInvite + "\"}"), 400, "MEMBER_NOT_FOUND");
    expectError(alice.post("has-permission", R"({"permissions":{"member":["create"]},"organizationId":")" + theirs + "\"}"),
                401, "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION");
    auto theirsRow = db.query(server, "SELECT name FROM organization WHERE id='" + theirs + "'");
    CPPUNIT_ASSERT_EQUAL(std::string("Org theirs\n"), theirsRow);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), array(alice.get("list"))->size());
  }

  void expiredAndCanceledInvitationsCannotBeAccepted() {
    TestDatabase db;
    ServedCrow server(db.serveOptions(yaml(kDefaultConfig + "      invitationExpiresIn: 1\n")));
    Client alice{server, server.signUp("alice@example.com")};
    Client bob{server, server.signUp("bob@example.com")};
    const std::string orgId = createOrg(alice, "acme");
    const std::string expiring = invite(alice, "bob@example.com", "member", orgId);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    expectError(bob.get("get-invitation?id=" + expiring), 400, "INVITATION_NOT_FOUND");
    expectError(bob.post("accept-invitation", R"({"invitationId":")" + expiring + "\"}"), 400, "INVITATION_NOT_FOUND");
    db.query(server, R"(UPDATE "user" SET "emailVerified"=true WHERE email='bob@example.com')");
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), array(bob.get("list-user-invitations"))->size());

    // An expired invitation does not block a new one; a canceled one cannot be accepted.
    const std::string fresh = invite(alice, "bob@example.com", "member", orgId);
    CPPUNIT_ASSERT_EQUAL(200, alice.post("cancel-invitation", R"({"invitationId":")" + fresh + "\"}").status);
    expectError(bob.post("accept-invitation", R"({"invitationId":")" + fresh + "\"}"), 400, "INVITATION_NOT_FOUND");
    expectError(alice.post("cancel-invitation", R"({"invitationId":")" + fresh + "\"}"), 400, "INVITATION_NOT_FOUND");
    CPPUNIT_ASSERT_EQUAL(std::string("1\n"), db.query(server, "SELECT COUNT(*) FROM member"));
  }

  void tenParallelAcceptsGiveOneMember() {
    TestDatabase db;
    ServedCrow server(db.serveOptions(yaml(kDefaultConfig)));
    Client alice{server, server.signUp("alice@example.com")};
    Client bob{server, server.signUp("bob@example.com")};
    const std::string orgId = createOrg(alice, "acme");
    const std::string invitationId = invite(alice, "bob@example.com", "member", orgId);
    std::atomic<int> ok{0}, notFound{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 10; ++i)
      threads.emplace_back([&] {
        Reply r = bob.post("accept-invitation", R"({"invitationId":")" + invitationId + "\"}");
        if (r.status == 200) ++ok;
        else if (r.status == 400) ++notFound;
        else ++other;
      });
    for (auto& t : threads) t.join();
    CPPUNIT_ASSERT_EQUAL(1, ok.load());
    CPPUNIT_ASSERT_EQUAL(9, notFound.load());
    CPPUNIT_ASSERT_EQUAL(0, other.load());
    CPPUNIT_ASSERT_EQUAL(std::string("2\n"), db.query(server, "SELECT COUNT(*) FROM member"));
    CPPUNIT_ASSERT_EQUAL(std::string("1\n"),
                         db.query(server, R"(SELECT COUNT(*) FROM crow_outbox WHERE destination='user' AND "eventType"='member.added')"));
  }

  void tenParallelInvitesGiveOnePendingInvitation() {
    TestDatabase db;
    ServedCrow server(db.serveOptions(yaml(kDefaultConfig)));
    Client alice{server, server.signUp("alice@example.com")};
    const std::string orgId = createOrg(alice, "acme");
    std::atomic<int> ok{0}, alreadyInvited{0};
    std::vector<std::string> other;
    std::mutex otherMutex;
    std::vector<std::thread> threads;
    for (int i = 0; i < 10; ++i)
      threads.emplace_back([&] {
        Reply r = alice.post("invite-member", R"({"email":"bob@example.com","role":"member","organizationId":")" + orgId + "\"}");
        if (r.status == 200) ++ok;
        else if (r.status == 400 && r.body.find("USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION") != std::string::npos) ++alreadyInvited;
        else {
          std::lock_guard lock(otherMutex);
          other.push_back(std::to_string(r.status) + " " + r.body);
        }
      });
    for (auto& t : threads) t.join();
    CPPUNIT_ASSERT_MESSAGE(other.empty() ? "" : other.front(), other.empty());
    CPPUNIT_ASSERT_EQUAL(1, ok.load());
    CPPUNIT_ASSERT_EQUAL(9, alreadyInvited.load());
    CPPUNIT_ASSERT_EQUAL(std::string("1\n"),
                         db.query(server, "SELECT COUNT(*) FROM invitation WHERE email='bob@example.com' AND status='pending'"));
    CPPUNIT_ASSERT_EQUAL(std::string("1\n"),
                         db.query(server, R"(SELECT COUNT(*) FROM crow_outbox WHERE "eventType"='email.organization-invitation')"));
  }

  void acceptNeedsAVerifiedEmailByDefault() {
    TestDatabase db;
    ServedCrow server(db.serveOptions(yaml("      membershipLimit: 100\n")));
    Client alice{server, server.signUp("alice@example.com")};
    Client bob{server, server.signUp("bob@example.com")};
    const std::string orgId = createOrg(alice, "acme");
    const std::string invitationId = invite(alice, "bob@example.com", "member", orgId);
    expectError(bob.post("accept-invitation", R"({"invitationId":")" + invitationId + "\"}"), 403,
                "EMAIL_VERIFICATION_REQUIRED_BEFORE_ACCEPTING_OR_REJECTING_INVITATION");
    db.query(server, R"(UPDATE "user" SET "emailVerified"=true WHERE email='bob@example.com')");
    Reply accepted = bob.post("accept-invitation", R"({"invitationId":")" + invitationId + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(accepted.body, 200, accepted.status);
  }

  void limitsAndUnknownConfigKeys() {
    TestDatabase db;
    ServedCrow server(db.serveOptions(yaml(kDefaultConfig + "      organizationLimit: 1\n      invitationLimit: 1\n")));
    Client alice{server, server.signUp("alice@example.com")};
    const std::string orgId = createOrg(alice, "one");
    expectError(alice.post("create", R"({"name":"Two","slug":"two"})"), 403,
                "YOU_HAVE_REACHED_THE_MAXIMUM_NUMBER_OF_ORGANIZATIONS");
    invite(alice, "b@example.com", "member", orgId);
    expectError(alice.post("invite-member", R"({"email":"c@example.com","role":"member"})"), 403, "INVITATION_LIMIT_REACHED");
    server.stop();

    crow_test::ScratchDir dir;
    ServeOptions bad{yaml("      organisationLimit: 3\n")};
    crow_test::ChildProcess child({crow_test::crowExecutable(), "serve", "--config",
                                   dir.write("c.yaml", "environment: local\nbaseURL: http://localhost:3000\n"
                                                       "database:\n  url: \"sqlite://" + dir.path() + "/x.db\"\n" + bad.yaml)},
                                  {"BETTER_AUTH_SECRET=test-secret-0123456789abcdef0123456789abcdef"});
    auto result = child.wait(30000);
    CPPUNIT_ASSERT(result.exitCode != 0);
    CPPUNIT_ASSERT_MESSAGE(child.err(), child.err().find("organisationLimit") != std::string::npos);
  }

  void addMemberIsForServicesOnly() {
    TestDatabase db;
    ServedCrow server(db.serveOptions("inboundKeys:\n  gateway: gw-key-0123456789abcdef0123\n" + yaml(kDefaultConfig)));
    Client alice{server, server.signUp("alice@example.com")};
    Client bob{server, server.signUp("bob@example.com")};
    const std::string orgId = createOrg(alice, "acme");
    const std::string bobId = object(server.get("/get-session", {{"Cookie", bob.cookie}}))->getObject("user")->getValue<std::string>("id");
    const std::string body = R"({"userId":")" + bobId + R"(","organizationId":")" + orgId + R"(","role":"admin"})";
    // Better Auth's addMember is server-only: a signed-in user gets a 404, as from Better Auth.
    Reply asUser = alice.post("add-member", body);
    CPPUNIT_ASSERT_EQUAL(404, asUser.status);
    CPPUNIT_ASSERT_EQUAL(404, server.postJson("/organization/add-member", body, {{"X-Service-API-Key", "wrong"}}).status);
    Reply asService = server.postJson("/organization/add-member", body, {{"X-Service-API-Key", "gw-key-0123456789abcdef0123"}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(asService.body, 200, asService.status);
    CPPUNIT_ASSERT_EQUAL(std::string("admin"), object(asService)->getValue<std::string>("role"));
    expectError(server.postJson("/organization/add-member", body, {{"X-Service-API-Key", "gw-key-0123456789abcdef0123"}}), 400,
                "USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION");
    CPPUNIT_ASSERT_EQUAL(std::string("1\n"),
                         db.query(server, R"(SELECT COUNT(*) FROM crow_outbox WHERE destination='organization' AND "eventType"='member.added')"));
  }

  void survivesHostileBodies() {
    TestDatabase db;
    ServedCrow server(db.serveOptions(yaml(kDefaultConfig)));
    Client alice{server, server.signUp("alice@example.com")};
    std::string deep(4000, '[');
    deep += std::string(4000, ']');
    Reply r = alice.post("create", R"({"name":"X","slug":"x","metadata":)" + deep + "}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 400, r.status);
    std::string deepObject;
    for (int i = 0; i < 2000; ++i) deepObject += R"({"a":)";
    deepObject += "1" + std::string(2000, '}');
    CPPUNIT_ASSERT_EQUAL(400, alice.post("create", R"({"name":"X","slug":"x","metadata":)" + deepObject + "}").status);
    CPPUNIT_ASSERT_EQUAL(400, alice.post("create", R"({"name":"X","slug":"x","metadata":{"k":")" + std::string(20000, 'v') + R"("}})").status);
    CPPUNIT_ASSERT_EQUAL(400, alice.post("create", R"({"name":")" + std::string(300, 'n') + R"(","slug":"x"})").status);
    CPPUNIT_ASSERT_EQUAL(400, alice.post("create", R"({"name":"a\u0001b","slug":"x"})").status);
    CPPUNIT_ASSERT_EQUAL(400, alice.post("set-active", R"({"organizationId":")" + std::string(10000, 'i') + "\"}").status);
    CPPUNIT_ASSERT_EQUAL(400, alice.get("get-full-organization?organizationSlug=" + std::string(10000, 's')).status);
    CPPUNIT_ASSERT_EQUAL(400, alice.post("has-permission", R"({"permissions":{"__proto__":["read"]}})").status);
    CPPUNIT_ASSERT_EQUAL(400, alice.get("list-members?limit=-1").status);
    CPPUNIT_ASSERT_EQUAL(400, alice.get("list-members?sortBy=password").status);
    // The server is still there and well.
    CPPUNIT_ASSERT_EQUAL(200, alice.post("create", R"({"name":"X","slug":"x"})").status);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OrganizationHttpTest);
