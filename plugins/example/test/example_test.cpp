// Unit tests of the example plugin, without a host or dlopen: the plugin's sources are compiled
// into this test, and the fakes in fakes.hpp stand in for the host.
#include "fakes.hpp"

#include "error_codes.hpp"

#include <crow/plugin.hpp>

#include <Poco/JSON/Parser.h>
#include <Poco/Version.h>

#include <cppunit/extensions/HelperMacros.h>

#include <cstring>
#include <memory>

// The descriptor CROW_PLUGIN exported from plugin.cpp (compiled into this test).
extern "C" const crow_plugin_descriptor* crow_plugin_entry(void);

using example_test::FakeConfig;
using example_test::FakeInitContext;

namespace {

std::unique_ptr<crow::Plugin> makePlugin() {
  return std::unique_ptr<crow::Plugin>(static_cast<crow::Plugin*>(crow_plugin_entry()->create()));
}

std::unique_ptr<FakeInitContext> initialised(FakeConfig config = {}) {
  auto context = std::make_unique<FakeInitContext>("example", std::move(config));
  makePlugin()->init(*context);
  return context;
}

crow::Request jsonRequest(crow::Method method, std::string path, std::string body) {
  crow::Request request;
  request.method = method;
  request.path = std::move(path);
  request.headers = {{"content-type", "application/json"}};
  request.body = std::move(body);
  return request;
}

Poco::JSON::Object::Ptr parse(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

// Calls a handler and returns the ApiError it throws; fails when it throws none.
crow::ApiError apiErrorOf(const crow::RouteHandler& handler, crow::Request& request) {
  crow::Response response;
  try {
    handler(request, response);
  } catch (const crow::ApiError& e) {
    return e;
  }
  CPPUNIT_FAIL("expected an ApiError");
  throw std::logic_error("unreachable");
}

}  // namespace

class ExamplePluginTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ExamplePluginTest);
  CPPUNIT_TEST(exportsADescriptorTheHostAccepts);
  CPPUNIT_TEST(declaresItsNoteTable);
  CPPUNIT_TEST(registersThreeRoutesAndTwoHooks);
  CPPUNIT_TEST(greetsWithTheDefaultGreeting);
  CPPUNIT_TEST(greetsWithTheConfiguredGreeting);
  CPPUNIT_TEST(refusesUnknownOrBadOptions);
  CPPUNIT_TEST(createsAndReadsANote);
  CPPUNIT_TEST(answers404ForAMissingNote);
  CPPUNIT_TEST(validatesNoteText);
  CPPUNIT_TEST(beforeHookBlocksOnlyFlaggedRequests);
  CPPUNIT_TEST(afterHookTagsTheResponse);
  CPPUNIT_TEST_SUITE_END();

 public:
  void exportsADescriptorTheHostAccepts() {
    const crow_plugin_descriptor* d = crow_plugin_entry();
    CPPUNIT_ASSERT_EQUAL(uint32_t(sizeof(crow_plugin_descriptor)), d->struct_size);
    CPPUNIT_ASSERT_EQUAL(uint32_t(CROW_KIND_PLUGIN), d->kind);
    CPPUNIT_ASSERT_EQUAL(std::string("example"), std::string(d->id));
    CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), std::string(d->version));
    CPPUNIT_ASSERT_EQUAL(std::string(CROW_BUILD_SIGNATURE(POCO_VERSION)), std::string(d->build_signature));
    CPPUNIT_ASSERT(d->depends_on != nullptr && d->depends_on[0] == nullptr);
  }

  void declaresItsNoteTable() {
    crow::SchemaBuilder schema;
    makePlugin()->declareSchema(schema);
    CPPUNIT_ASSERT_EQUAL(size_t(1), schema.tables().size());
    const crow::TableDecl& table = schema.tables()[0];
    CPPUNIT_ASSERT_EQUAL(std::string("exampleNote"), table.name);
    CPPUNIT_ASSERT(table.find("id") && table.find("id")->primaryKey);
    CPPUNIT_ASSERT(table.find("text") && table.find("text")->required);
    CPPUNIT_ASSERT(table.find("author") && !table.find("author")->required);
    CPPUNIT_ASSERT(table.find("createdAt") && !table.find("createdAt")->input);
  }

  void registersThreeRoutesAndTwoHooks() {
    auto context = initialised();
    CPPUNIT_ASSERT_EQUAL(size_t(3), context->routes.size());
    CPPUNIT_ASSERT_NO_THROW(context->handler(crow::Method::Get, "/example/hello/:name"));
    CPPUNIT_ASSERT_NO_THROW(context->handler(crow::Method::Post, "/example/notes"));
    CPPUNIT_ASSERT_NO_THROW(context->handler(crow::Method::Get, "/example/notes/:id"));
    for (const auto& route : context->routes) CPPUNIT_ASSERT(route.options.underBasePath);
    CPPUNIT_ASSERT_EQUAL(size_t(2), context->requestHooks.size());
    CPPUNIT_ASSERT(context->requestHooks[0].point == crow::HookPoint::RequestBefore);
    CPPUNIT_ASSERT(context->requestHooks[1].point == crow::HookPoint::RequestAfter);
    for (const auto& hook : context->requestHooks)
      CPPUNIT_ASSERT_EQUAL(std::string("/example"), hook.options.pathPrefix);
    CPPUNIT_ASSERT(context->dataHooks.empty());
  }

  void greetsWithTheDefaultGreeting() {
    auto context = initialised();
    crow::Request request;
    request.params["name"] = "ada";
    crow::Response response;
    context->handler(crow::Method::Get, "/example/hello/:name")(request, response);
    CPPUNIT_ASSERT_EQUAL(200, response.status);
    CPPUNIT_ASSERT_EQUAL(std::string("application/json"), response.contentType);
    CPPUNIT_ASSERT_EQUAL(std::string("Hello, ada!"), parse(response.body)->getValue<std::string>("message"));
  }

  void greetsWithTheConfiguredGreeting() {
    auto context = initialised(FakeConfig({{"greeting", "Kia ora"}}));
    crow::Request request;
    request.params["name"] = "Tama";
    crow::Response response;
    context->handler(crow::Method::Get, "/example/hello/:name")(request, response);
    CPPUNIT_ASSERT_EQUAL(std::string("Kia ora, Tama!"), parse(response.body)->getValue<std::string>("message"));
  }

  void refusesUnknownOrBadOptions() {
    auto messageFor = [](FakeConfig config) -> std::string {
      try {
        initialised(std::move(config));
      } catch (const crow::ConfigError& e) {
        return e.what();
      }
      return "no error";
    };
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: greting: unknown key"), messageFor(FakeConfig({{"greting", "Hi"}})));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: maxNoteLength: must be between 1 and 10000"),
                         messageFor(FakeConfig({{"maxNoteLength", "0"}})));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: greeting: must not be empty"), messageFor(FakeConfig({{"greeting", ""}})));
  }

  void createsAndReadsANote() {
    auto context = initialised();
    crow::Request create = jsonRequest(crow::Method::Post, "/example/notes", R"({"text":"remember the milk","author":"ada"})");
    crow::Response created;
    context->handler(crow::Method::Post, "/example/notes")(create, created);
    CPPUNIT_ASSERT_EQUAL(200, created.status);
    auto note = parse(created.body);
    const std::string id = note->getValue<std::string>("id");
    CPPUNIT_ASSERT_EQUAL(size_t(32), id.size());
    CPPUNIT_ASSERT_EQUAL(std::string("remember the milk"), note->getValue<std::string>("text"));
    CPPUNIT_ASSERT_EQUAL(std::string("ada"), note->getValue<std::string>("author"));
    CPPUNIT_ASSERT_EQUAL(std::string("2026-01-01T00:00:00.000Z"), note->getValue<std::string>("createdAt"));
    CPPUNIT_ASSERT_EQUAL(size_t(1), context->fakeStore().tables["exampleNote"].size());

    crow::Request read;
    read.params["id"] = id;
    crow::Response found;
    context->handler(crow::Method::Get, "/example/notes/:id")(read, found);
    CPPUNIT_ASSERT_EQUAL(200, found.status);
    CPPUNIT_ASSERT_EQUAL(std::string("remember the milk"), parse(found.body)->getValue<std::string>("text"));
  }

  void answers404ForAMissingNote() {
    auto context = initialised();
    crow::Request read;
    read.params["id"] = "nope";
    crow::ApiError e = apiErrorOf(context->handler(crow::Method::Get, "/example/notes/:id"), read);
    CPPUNIT_ASSERT_EQUAL(404, e.status());
    CPPUNIT_ASSERT_EQUAL(std::string("NOTE_NOT_FOUND"), e.code());
    CPPUNIT_ASSERT_EQUAL(std::string("Note not found"), e.message());
  }

  void validatesNoteText() {
    auto context = initialised(FakeConfig({{"maxNoteLength", "5"}}));
    const auto& create = context->handler(crow::Method::Post, "/example/notes");
    crow::Request empty = jsonRequest(crow::Method::Post, "/example/notes", R"({"text":""})");
    CPPUNIT_ASSERT_EQUAL(std::string("NOTE_TEXT_REQUIRED"), apiErrorOf(create, empty).code());
    crow::Request notText = jsonRequest(crow::Method::Post, "/example/notes", R"({"text":42})");
    CPPUNIT_ASSERT_EQUAL(std::string("NOTE_TEXT_REQUIRED"), apiErrorOf(create, notText).code());
    crow::Request tooLong = jsonRequest(crow::Method::Post, "/example/notes", R"({"text":"123456"})");
    crow::ApiError e = apiErrorOf(create, tooLong);
    CPPUNIT_ASSERT_EQUAL(400, e.status());
    CPPUNIT_ASSERT_EQUAL(std::string("NOTE_TEXT_TOO_LONG"), e.code());
    CPPUNIT_ASSERT(context->fakeStore().tables["exampleNote"].empty());
  }

  void beforeHookBlocksOnlyFlaggedRequests() {
    auto context = initialised();
    const crow::RequestHook& before = context->requestHooks.at(0).hook;
    crow::Request plain;
    crow::Response response;
    CPPUNIT_ASSERT_NO_THROW(before(plain, response));
    crow::Request flagged;
    flagged.headers = {{"x-example-block", "1"}};
    try {
      before(flagged, response);
      CPPUNIT_FAIL("the flagged request was not blocked");
    } catch (const crow::ApiError& e) {
      CPPUNIT_ASSERT_EQUAL(403, e.status());
      CPPUNIT_ASSERT_EQUAL(std::string(example::errors::EXAMPLE_BLOCKED.code), e.code());
    }
  }

  void afterHookTagsTheResponse() {
    auto context = initialised();
    crow::Request request;
    crow::Response response;
    context->requestHooks.at(1).hook(request, response);
    CPPUNIT_ASSERT(response.header("x-example-plugin") != nullptr);
    CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), *response.header("X-Example-Plugin"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ExamplePluginTest);
