// `crow-auth outbox list|replay` as an operator uses it: messages a receiver refused (400) lie
// dead in the outbox, list shows them without payloads, replay sends them again with their
// original idempotency keys once the receiver is fixed, and the exit codes tell what happened.
#include "served_crow.hpp"
#include "test_receiver.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

using crow_test::ProcessResult;
using crow_test::runProcess;
using crow_test::ServedCrow;
using crow_test::ServeOptions;

namespace {

const char* kSecret = "outbox-cli-secret-0123456789abcdef0123456789";

bool eventually(const std::function<bool()>& condition, int timeoutMs = 20000) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

size_t countLines(const std::string& text) {
  size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

}  // namespace

class OutboxCliTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OutboxCliTest);
  CPPUNIT_TEST(usageErrorsExitTwo);
  CPPUNIT_TEST(listsDeadMessagesAndReplaysThemWithTheirKeys);
  CPPUNIT_TEST_SUITE_END();

 public:
  void usageErrorsExitTwo() {
    for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
             {"outbox"},
             {"outbox", "frobnicate"},
             {"outbox", "replay"},
             {"outbox", "replay", "abc", "--all-dead"},
             {"outbox", "list", "--status", "lost"},
             {"outbox", "list", "--limit", "0"},
             {"outbox", "list", "--limit", "ten"},
             {"outbox", "list", "--all-dead"},
             {"outbox", "replay", "--json", "abc"}}) {
      args.insert(args.begin(), crow_test::crowExecutable());
      ProcessResult r = runProcess(args, 20000);
      std::string line;
      for (const auto& a : args) line += a + " ";
      CPPUNIT_ASSERT_EQUAL_MESSAGE(line + r.err, 2, r.exitCode);
      CPPUNIT_ASSERT_MESSAGE(line + r.err, r.err.rfind("crow-auth: ", 0) == 0);
    }
    ProcessResult help = runProcess({crow_test::crowExecutable(), "outbox", "--help"}, 20000);
    CPPUNIT_ASSERT_EQUAL(0, help.exitCode);
    CPPUNIT_ASSERT_MESSAGE(help.out, help.out.find("--all-dead") != std::string::npos);
    ProcessResult overview = runProcess({crow_test::crowExecutable(), "--help"}, 20000);
    CPPUNIT_ASSERT_MESSAGE(overview.out, overview.out.find("outbox") != std::string::npos);
  }

  void listsDeadMessagesAndReplaysThemWithTheirKeys() {
    crow::test::TestReceiver receiver;
    receiver.setMode(crow::test::TestReceiver::Mode::BadRequest);
    ServeOptions options;
    options.secret = kSecret;
    options.yaml = "services:\n  notification:\n    url: \"" + receiver.url() +
                   "\"\n    apiKey: \"notification-key\"\n"
                   "auth:\n  emailVerification:\n    sendOnSignUp: true\n"
                   "outbox:\n  pollIntervalMs: 50\n";
    ServedCrow crow(options);
    const std::string config = crow.dir().path() + "/crow-auth.yaml";
    auto cli = [&](std::vector<std::string> args) {
      args.insert(args.begin(), crow_test::crowExecutable());
      args.insert(args.end(), {"--config", config});
      return runProcess(args, 60000, {std::string("BETTER_AUTH_SECRET=") + kSecret});
    };

    const std::vector<std::string> emails{"ann@example.com", "bob@example.com", "cat@example.com"};
    for (const auto& email : emails) crow.signUp(email);
    CPPUNIT_ASSERT_MESSAGE("the receiver refused three emails", eventually([&] { return receiver.requests().size() >= 3; }));

    // list: a header and one line per dead message, no payload.
    ProcessResult dead;
    CPPUNIT_ASSERT(eventually([&] {
      dead = cli({"outbox", "list", "--status", "dead"});
      return dead.exitCode == 0 && countLines(dead.out) == 4;
    }));
    CPPUNIT_ASSERT_MESSAGE(dead.out, dead.out.rfind("ID", 0) == 0);
    for (const char* column : {"DESTINATION", "EVENT", "AGGREGATE", "STATUS", "ATTEMPTS", "LAST ERROR", "NEXT ATTEMPT"})
      CPPUNIT_ASSERT_MESSAGE(dead.out, dead.out.find(column) != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(dead.out, dead.out.find("email.verification") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(dead.out, dead.out.find("notification") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(dead.out, dead.out.find("400") != std::string::npos);
    for (const auto& email : emails) CPPUNIT_ASSERT_MESSAGE(dead.out, dead.out.find(email) == std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(dead.out, dead.out.find("verify-email") == std::string::npos);

    // --json: the same rows as data, still without payload.
    ProcessResult json = cli({"outbox", "list", "--status", "dead", "--json"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(json.err, 0, json.exitCode);
    auto rows = Poco::JSON::Parser().parse(json.out).extract<Poco::JSON::Array::Ptr>();
    CPPUNIT_ASSERT_EQUAL(size_t{3}, rows->size());
    std::vector<std::string> ids;
    for (size_t i = 0; i < rows->size(); ++i) {
      auto row = rows->getObject(static_cast<unsigned>(i));
      CPPUNIT_ASSERT_EQUAL(std::string("dead"), row->getValue<std::string>("status"));
      CPPUNIT_ASSERT_EQUAL(1, row->getValue<int>("attempts"));
      CPPUNIT_ASSERT(!row->has("payload"));
      CPPUNIT_ASSERT(!row->has("idempotencyKey"));
      ids.push_back(row->getValue<std::string>("id"));
    }
    ProcessResult limited = cli({"outbox", "list", "--limit", "1"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(limited.out, size_t{2}, countLines(limited.out));
    ProcessResult none = cli({"outbox", "list", "--status", "delivered"});
    CPPUNIT_ASSERT_EQUAL(0, none.exitCode);
    CPPUNIT_ASSERT_EQUAL(std::string("no delivered messages\n"), none.out);

    // With the receiver fixed: an unknown id exits 1, and the known id in the same call still replays.
    receiver.setMode(crow::test::TestReceiver::Mode::Ok);
    ProcessResult unknown = cli({"outbox", "replay", "no-such-message", ids[0]});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(unknown.err, 1, unknown.exitCode);
    CPPUNIT_ASSERT_MESSAGE(unknown.err, unknown.err.find("no message no-such-message") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(unknown.out, unknown.out.find("replayed " + ids[0]) != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE("the replayed message arrives", eventually([&] { return receiver.acceptedKeys().size() == 1; }));

    ProcessResult all = cli({"outbox", "replay", "--all-dead"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(all.err, 0, all.exitCode);
    CPPUNIT_ASSERT_EQUAL(std::string("replayed 2 dead messages\n"), all.out);
    CPPUNIT_ASSERT(eventually([&] { return receiver.acceptedKeys().size() == 3; }));

    // Each accepted key is the one the receiver refused before: a receiver that had applied the
    // refused request could tell the replay apart from a new message.
    std::set<std::string> refusedKeys, acceptedKeys;
    for (const auto& r : receiver.requests()) (r.answered == 400 ? refusedKeys : acceptedKeys).insert(r.idempotencyKey);
    CPPUNIT_ASSERT_EQUAL(size_t{3}, refusedKeys.size());
    CPPUNIT_ASSERT(refusedKeys == acceptedKeys);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, receiver.duplicates());

    ProcessResult delivered;
    CPPUNIT_ASSERT(eventually([&] {
      delivered = cli({"outbox", "list", "--status", "delivered", "--json"});
      return delivered.exitCode == 0 &&
             Poco::JSON::Parser().parse(delivered.out).extract<Poco::JSON::Array::Ptr>()->size() == 3;
    }));
    // A delivered message is not dead: replaying it is refused with exit 1.
    ProcessResult again = cli({"outbox", "replay", ids[1]});
    CPPUNIT_ASSERT_EQUAL(1, again.exitCode);
    CPPUNIT_ASSERT_MESSAGE(again.err, again.err.find("is delivered, not dead") != std::string::npos);
    ProcessResult nothing = cli({"outbox", "replay", "--all-dead"});
    CPPUNIT_ASSERT_EQUAL(std::string("replayed 0 dead messages\n"), nothing.out);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OutboxCliTest);
