// The data hooks (hooks.cpp) as the host calls them: a user.create before-hook and a user.update
// before-hook on the `user` table that throw ApiError 400 EMAIL_DOMAIN_NOT_ALLOWED. The HTTP test
// covers the create hook in the real server; the update hook is tested here because the core's
// POST /update-user refuses email changes before any write (EMAIL_CAN_NOT_BE_UPDATED).
#include "blocklist.hpp"
#include "error_codes.hpp"
#include "fakes.hpp"

#include <crow/error.hpp>

#include <cppunit/extensions/HelperMacros.h>

using email_domain_blocklist::DomainPolicy;
using email_domain_blocklist_test::RecordingLogger;

namespace {

class NoStore final : public crow::Store {
 public:
  crow::Row create(const std::string&, const crow::Row&) override { throw std::logic_error("unused"); }
  std::optional<crow::Row> findOne(const std::string&, const std::vector<crow::Where>&) override {
    throw std::logic_error("unused");
  }
  std::vector<crow::Row> findMany(const std::string&, const crow::FindOptions&) override {
    throw std::logic_error("unused");
  }
  int64_t count(const std::string&, const std::vector<crow::Where>&) override { throw std::logic_error("unused"); }
  std::optional<crow::Row> update(const std::string&, const std::vector<crow::Where>&, const crow::Row&) override {
    throw std::logic_error("unused");
  }
  int64_t updateMany(const std::string&, const std::vector<crow::Where>&, const crow::Row&) override {
    throw std::logic_error("unused");
  }
  int64_t remove(const std::string&, const std::vector<crow::Where>&) override { throw std::logic_error("unused"); }
  std::optional<crow::Row> increment(const std::string&, const std::vector<crow::Where>&,
                                     const std::map<std::string, int64_t>&) override {
    throw std::logic_error("unused");
  }
  void transaction(const std::function<void(crow::Store&)>& work) override { work(*this); }
  bool ping() noexcept override { return true; }
};

struct Registered {
  crow::HookPoint point;
  std::string table;
  crow::DataHook hook;
  int priority;
};

// Registers the plugin's hooks with a policy blocking gmail.com and yahoo.*, allowing
// partner.gmail.com, and keeps what was registered.
struct HookFixture {
  RecordingLogger logger;
  NoStore store;
  std::vector<Registered> hooks;

  HookFixture() {
    auto policy = std::make_shared<DomainPolicy>();
    CPPUNIT_ASSERT(policy->blocked.add("gmail.com").empty());
    CPPUNIT_ASSERT(policy->blocked.add("yahoo.*").empty());
    CPPUNIT_ASSERT(policy->allowed.add("partner.gmail.com").empty());
    email_domain_blocklist::registerHooks(
        [this](crow::HookPoint point, const std::string& table, crow::DataHook hook, int priority) {
          hooks.push_back({point, table, std::move(hook), priority});
        },
        logger, std::move(policy));
  }

  const Registered& at(crow::HookPoint point) const {
    for (const Registered& r : hooks)
      if (r.point == point) return r;
    CPPUNIT_FAIL("no hook registered at " + std::string(crow::hookPointName(point)));
    throw std::logic_error("unreachable");
  }

  // Runs the hook at `point` on `row` as the host does; returns the rejection, if any.
  std::optional<crow::ApiError> run(crow::HookPoint point, crow::Row row) {
    static const std::vector<crow::Where> where{crow::eq("id", std::string("user-1"))};
    crow::DataChange change{at(point).table, row, where, store};
    try {
      at(point).hook(change);
    } catch (const crow::ApiError& e) {
      return e;
    }
    return std::nullopt;
  }
};

void assertRefusal(const std::optional<crow::ApiError>& error, const std::string& message) {
  CPPUNIT_ASSERT_MESSAGE("expected a rejection", error.has_value());
  CPPUNIT_ASSERT_EQUAL(400, error->status());
  CPPUNIT_ASSERT_EQUAL(std::string("EMAIL_DOMAIN_NOT_ALLOWED"), error->code());
  CPPUNIT_ASSERT_EQUAL(message, error->message());
}

const std::string kGenericMessage = "Sign-ups from this email domain are not allowed";

}  // namespace

class HooksTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HooksTest);
  CPPUNIT_TEST(registersBeforeHooksOnTheUserTable);
  CPPUNIT_TEST(createRefusesBlockedDomainsWithTheReferenceMessage);
  CPPUNIT_TEST(createLetsOtherDomainsThrough);
  CPPUNIT_TEST(createFailsClosedOnUnusableAddresses);
  CPPUNIT_TEST(updateRefusesAnEmailChangeToABlockedDomain);
  CPPUNIT_TEST(updateIgnoresPatchesWithoutEmail);
  CPPUNIT_TEST(refusalsAreLoggedWithoutTheAddress);
  CPPUNIT_TEST_SUITE_END();

 public:
  void registersBeforeHooksOnTheUserTable() {
    HookFixture f;
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.hooks.size());
    for (crow::HookPoint point : {crow::HookPoint::CreateBefore, crow::HookPoint::UpdateBefore}) {
      CPPUNIT_ASSERT_EQUAL(std::string("user"), f.at(point).table);
      CPPUNIT_ASSERT_EQUAL(email_domain_blocklist::kHookPriority, f.at(point).priority);
    }
  }

  void createRefusesBlockedDomainsWithTheReferenceMessage() {
    HookFixture f;
    const crow::Row user{{"id", std::string("u1")}, {"name", std::string("A")}, {"email", std::string("a@gmail.com")}};
    assertRefusal(f.run(crow::HookPoint::CreateBefore, user), "Sign-ups from gmail.com addresses are not allowed");
    // The message names the normalised domain.
    assertRefusal(f.run(crow::HookPoint::CreateBefore, {{"email", std::string("A@Mail.GMAIL.com.")}}),
                  "Sign-ups from mail.gmail.com addresses are not allowed");
    assertRefusal(f.run(crow::HookPoint::CreateBefore, {{"email", std::string("a@yahoo.co.uk")}}),
                  "Sign-ups from yahoo.co.uk addresses are not allowed");
    assertRefusal(f.run(crow::HookPoint::CreateBefore, {{"email", std::string("a@\uFF47\uFF4D\uFF41\uFF49\uFF4C.com")}}),
                  "Sign-ups from gmail.com addresses are not allowed");
  }

  void createLetsOtherDomainsThrough() {
    HookFixture f;
    crow::Row user{{"email", std::string("a@acme.example")}, {"name", std::string("A")}};
    CPPUNIT_ASSERT(!f.run(crow::HookPoint::CreateBefore, user));
    CPPUNIT_ASSERT(!f.run(crow::HookPoint::CreateBefore, {{"email", std::string("a@partner.gmail.com")}}));
    // Nothing to judge: no email, or a NULL one.
    CPPUNIT_ASSERT(!f.run(crow::HookPoint::CreateBefore, {{"name", std::string("A")}}));
    CPPUNIT_ASSERT(!f.run(crow::HookPoint::CreateBefore, {{"email", crow::Value(std::monostate{})}}));
  }

  void createFailsClosedOnUnusableAddresses() {
    HookFixture f;
    for (const std::string& email : std::vector<std::string>{"no-at-sign", "a@", "a@xn--zz.com", "a@bad_domain.com", "a@gm\xFF" "ail.com"})
      assertRefusal(f.run(crow::HookPoint::CreateBefore, {{"email", email}}), kGenericMessage);
    // An email that is not text is refused too.
    assertRefusal(f.run(crow::HookPoint::CreateBefore, {{"email", int64_t{42}}}), kGenericMessage);
  }

  void updateRefusesAnEmailChangeToABlockedDomain() {
    HookFixture f;
    assertRefusal(f.run(crow::HookPoint::UpdateBefore, {{"email", std::string("new@GMAIL.com")}, {"emailVerified", false}}),
                  "Sign-ups from gmail.com addresses are not allowed");
    assertRefusal(f.run(crow::HookPoint::UpdateBefore, {{"email", std::string("new@x.yahoo.fr")}}),
                  "Sign-ups from x.yahoo.fr addresses are not allowed");
    assertRefusal(f.run(crow::HookPoint::UpdateBefore, {{"email", std::string("new@")}}), kGenericMessage);
  }

  void updateIgnoresPatchesWithoutEmail() {
    HookFixture f;
    CPPUNIT_ASSERT(!f.run(crow::HookPoint::UpdateBefore, {{"name", std::string("New name")}}));
    CPPUNIT_ASSERT(!f.run(crow::HookPoint::UpdateBefore, {{"emailVerified", true}}));
    CPPUNIT_ASSERT(!f.run(crow::HookPoint::UpdateBefore, {{"email", std::string("new@acme.example")}}));
    CPPUNIT_ASSERT(!f.run(crow::HookPoint::UpdateBefore, {{"email", crow::Value(std::monostate{})}}));
  }

  void refusalsAreLoggedWithoutTheAddress() {
    HookFixture f;
    (void)f.run(crow::HookPoint::CreateBefore, {{"email", std::string("secret.person@gmail.com")}});
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.logger.lines.size());
    const auto& line = f.logger.lines.front();
    CPPUNIT_ASSERT_EQUAL(std::string("refused email domain"), line.message);
    for (const auto& [key, value] : line.fields) CPPUNIT_ASSERT(value.find("secret.person") == std::string::npos);
    (void)f.run(crow::HookPoint::CreateBefore, {{"email", std::string("a@acme.example")}});
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.logger.lines.size());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HooksTest);
