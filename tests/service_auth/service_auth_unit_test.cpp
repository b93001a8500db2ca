// The service-auth plugin and the host's inbound keys as units: the constant-time key compare
// (crow::host::InboundKeys behind InitContext::inboundCaller, on a real PluginContext), path
// normalisation and coverage, the option rules (read from real YAML through the host's config
// loader, so the error lines are the ones operators see), and the guard against a fake context.
#include "options.hpp"
#include "protected_paths.hpp"
#include "service_auth.hpp"

#include "app/plugin_context.hpp"
#include "config/app_config.hpp"
#include "crow/error.hpp"
#include "data/data_hooks.hpp"
#include "server/request_hooks.hpp"
#include "server/router.hpp"
#include "services/inbound_keys.hpp"
#include "test/fakes.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <map>

namespace {

const std::string kGatewayKey = "gw-0123456789abcdef0123456789abcdef";
const std::string kIngestKey = "wi-0123456789abcdef0123456789abcdef";

crow::host::AppConfig loadYaml(const std::string& yaml, std::map<std::string, std::string> env = {}) {
  auto getenv = [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional(it->second);
  };
  return crow::host::loadConfigFromString(yaml, "test.yaml", getenv);
}

// The plugin's block, read through the host's loader from "plugins: [service-auth]" YAML whose
// `config:` lines are `block` (already indented by six spaces).
struct Loaded {
  crow::host::AppConfig app;
  const crow::ConfigNode& node() const { return *app.plugins.at(0).config; }
};

Loaded loadBlock(const std::string& block) {
  return Loaded{loadYaml("plugins:\n  - id: service-auth\n    config:\n" + block)};
}

std::string readError(const std::string& block) {
  try {
    Loaded loaded = loadBlock(block);
    service_auth::Options::read(loaded.node());
  } catch (const crow::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

// A real PluginContext over `app`, as the host builds one for each plugin.
struct HostContext {
  explicit HostContext(const crow::host::AppConfig& app)
      : context("service-auth", app.plugins.empty() ? nullptr : app.plugins.at(0).config, app, settings, store,
                std::make_unique<example_test::RecordingLogger>(), clock, router, requestHooks, dataHooks) {}
  crow::Settings settings;
  example_test::FakeStore store;
  example_test::FixedClock clock;
  crow::host::Router router;
  crow::host::RequestHooks requestHooks;
  crow::host::DataHooks dataHooks;
  crow::host::PluginContext context;
};

#define ASSERT_CONTAINS(haystack, needle)                                                        \
  CPPUNIT_ASSERT_MESSAGE(std::string("expected \"") + (needle) + "\" in: " + (haystack),          \
                         std::string(haystack).find(needle) != std::string::npos)

}  // namespace

class ServiceAuthUnitTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ServiceAuthUnitTest);
  CPPUNIT_TEST(constantTimeEqualIsEquality);
  CPPUNIT_TEST(inboundKeysNameTheCallerOfAKey);
  CPPUNIT_TEST(pluginContextAnswersFromTopLevelInboundKeys);
  CPPUNIT_TEST(normalisationFoldsEverySpelling);
  CPPUNIT_TEST(coverageIsOnWholeSegmentsUnderTheBasePath);
  CPPUNIT_TEST(optionsReadProtect);
  CPPUNIT_TEST(optionsRefuseBadBlocks);
  CPPUNIT_TEST(guardAsksTheContext);
  CPPUNIT_TEST_SUITE_END();

 public:
  void constantTimeEqualIsEquality() {
    using crow::host::constantTimeEqual;
    CPPUNIT_ASSERT(constantTimeEqual(kGatewayKey, kGatewayKey));
    CPPUNIT_ASSERT(constantTimeEqual("", ""));
    std::string oneOff = kGatewayKey;
    oneOff.back() = 'e';
    CPPUNIT_ASSERT(!constantTimeEqual(kGatewayKey, oneOff));
    oneOff = kGatewayKey;
    oneOff.front() = 'G';
    CPPUNIT_ASSERT(!constantTimeEqual(kGatewayKey, oneOff));
    CPPUNIT_ASSERT(!constantTimeEqual(kGatewayKey, kGatewayKey.substr(0, kGatewayKey.size() - 1)));  // a prefix
    CPPUNIT_ASSERT(!constantTimeEqual(kGatewayKey, kGatewayKey + " "));
    CPPUNIT_ASSERT(!constantTimeEqual(kGatewayKey, ""));
    CPPUNIT_ASSERT(!constantTimeEqual(std::string("a\0b", 3), std::string("a\0c", 3)));  // not a C string compare
    CPPUNIT_ASSERT(constantTimeEqual(std::string("a\0b", 3), std::string("a\0b", 3)));
  }

  void inboundKeysNameTheCallerOfAKey() {
    const std::string next = "gw-next-" + kIngestKey;
    crow::host::InboundKeys keys({{"gateway", kGatewayKey}, {"web-ingest", kIngestKey}, {"gateway", next}});
    CPPUNIT_ASSERT_EQUAL(std::string("gateway"), *keys.callerFor(kGatewayKey));
    CPPUNIT_ASSERT_EQUAL(std::string("web-ingest"), *keys.callerFor(kIngestKey));
    CPPUNIT_ASSERT_EQUAL(std::string("gateway"), *keys.callerFor(next));  // rotation
    CPPUNIT_ASSERT(!keys.callerFor(""));
    CPPUNIT_ASSERT(!keys.callerFor(kGatewayKey.substr(1)));
    CPPUNIT_ASSERT(!keys.callerFor(kGatewayKey + "x"));
    CPPUNIT_ASSERT(crow::host::InboundKeys({}).empty());
    CPPUNIT_ASSERT(!crow::host::InboundKeys({}).callerFor(""));
    // An empty configured key is dropped: an empty header value must never match it.
    crow::host::InboundKeys withEmpty(std::vector<crow::host::InboundKey>{{"gateway", ""}});
    CPPUNIT_ASSERT(withEmpty.empty());
    CPPUNIT_ASSERT(!withEmpty.callerFor(""));
  }

  void pluginContextAnswersFromTopLevelInboundKeys() {
    const std::string old = "gw-old-0123456789abcdef0123456789abcdef";
    crow::host::AppConfig app = loadYaml(
        "inboundKeys:\n"
        "  gateway: [\"${SERVICE_API_KEY_GATEWAY}\", " + old + "]\n"
        "  web-ingest: \"${SERVICE_API_KEY_WEB_INGEST}\"\n"
        "plugins:\n  - id: service-auth\n",
        {{"SERVICE_API_KEY_GATEWAY", kGatewayKey}, {"SERVICE_API_KEY_WEB_INGEST", kIngestKey}});
    HostContext host(app);
    const crow::InitContext& context = host.context;
    CPPUNIT_ASSERT_EQUAL(std::string("gateway"), *context.inboundCaller(kGatewayKey));
    CPPUNIT_ASSERT_EQUAL(std::string("gateway"), *context.inboundCaller(old));
    CPPUNIT_ASSERT_EQUAL(std::string("web-ingest"), *context.inboundCaller(kIngestKey));
    CPPUNIT_ASSERT(!context.inboundCaller(""));
    CPPUNIT_ASSERT(!context.inboundCaller(kGatewayKey.substr(0, 20)));
    CPPUNIT_ASSERT(!context.inboundCaller(kGatewayKey + kIngestKey));

    // No inboundKeys: nothing matches, not even an empty value.
    crow::host::AppConfig none = loadYaml("plugins:\n  - id: service-auth\n");
    HostContext bare(none);
    CPPUNIT_ASSERT(!bare.context.inboundCaller(""));
    CPPUNIT_ASSERT(!bare.context.inboundCaller(kGatewayKey));
  }

  void normalisationFoldsEverySpelling() {
    using service_auth::normalisePath;
    for (const char* spelling : {"/api-key/verify", "//api-key/verify", "/API-KEY/verify", "/api-key/verify/",
                                 "/api-key/./verify", "/api-key//verify", "/api-key/x/../verify", "/api-key/verif%79",
                                 "/api%2Dkey/verify", "/api-key%2Fverify", "\\api-key\\verify", "/./api-key/verify/."})
      CPPUNIT_ASSERT_EQUAL_MESSAGE(spelling, std::string("/api-key/verify"), normalisePath(spelling));
    CPPUNIT_ASSERT_EQUAL(std::string("/"), normalisePath(""));
    CPPUNIT_ASSERT_EQUAL(std::string("/"), normalisePath("/../.."));
    CPPUNIT_ASSERT_EQUAL(std::string("/a%zz"), normalisePath("/a%zz"));  // not an escape: kept
    CPPUNIT_ASSERT_EQUAL(std::string("/a%"), normalisePath("/a%"));
  }

  void coverageIsOnWholeSegmentsUnderTheBasePath() {
    service_auth::ProtectedPaths paths({"/api-key/verify", "/Internal/"}, "/api/v1/auth");
    for (const char* covered : {"/api/v1/auth/api-key/verify", "/api/v1/auth/api-key/verify/x", "//api/v1/auth/api-key/verify",
                                "/API/v1/auth/api-key/VERIFY", "/api/v1/auth/internal", "/api/v1/auth/internal/jobs",
                                "/api/v1/auth/x/../api-key/verify", "/api-key/verify"})
      CPPUNIT_ASSERT_MESSAGE(covered, paths.covers(covered));
    for (const char* open : {"/api/v1/auth/api-key/verify-x", "/api/v1/auth/api-key", "/api/v1/auth/get-session",
                             "/api/v1/auth", "/api/v1/authapi-key/verify", "/health", "/api/v1/auth/internals"})
      CPPUNIT_ASSERT_MESSAGE(open, !paths.covers(open));
    // A base path of "/" protects the prefixes at the root.
    service_auth::ProtectedPaths rooted({"/api-key/verify"}, "/");
    CPPUNIT_ASSERT(rooted.covers("/api-key/verify"));
    CPPUNIT_ASSERT(!rooted.covers("/api-key"));
  }

  void optionsReadProtect() {
    Loaded loaded = loadBlock("      protect: [\"/api-key/verify\", \"/internal\"]\n");
    CPPUNIT_ASSERT((std::vector<std::string>{"/api-key/verify", "/internal"}) ==
                   service_auth::Options::read(loaded.node()).protect);
    // protect defaults to the api-key verify route.
    Loaded defaults = Loaded{loadYaml("plugins:\n  - id: service-auth\n")};
    CPPUNIT_ASSERT((std::vector<std::string>{"/api-key/verify"}) == service_auth::Options::read(defaults.node()).protect);
  }

  void optionsRefuseBadBlocks() {
    ASSERT_CONTAINS(readError("      protects: [/x]\n"), "test.yaml:4: plugins[0].config.protects: unknown key");
    ASSERT_CONTAINS(readError("      protect: [api-key/verify]\n"),
                    "plugins[0].config.protect: \"api-key/verify\" is not a path prefix");
    ASSERT_CONTAINS(readError("      protect: [\"/x?y\"]\n"), "is not a path prefix");
    ASSERT_CONTAINS(readError("      protect: []\n"), "protect: protects nothing");
    // The keys moved to the host: a block still listing callers says where they go now.
    const std::string error = readError("      callers: [{name: gateway, key: " + kGatewayKey + "}]\n");
    ASSERT_CONTAINS(error, "test.yaml:4: plugins[0].config.callers: callers and their keys are the top-level "
                           "inboundKeys: block now");
    CPPUNIT_ASSERT(error.find(kGatewayKey) == std::string::npos);
  }

  // The registered hook against a fake context: it refuses, names the caller, or stays out of the way.
  void guardAsksTheContext() {
    example_test::FakeInitContext context("service-auth");
    context.inboundKeys = {{"gateway", kGatewayKey}, {"web-ingest", kIngestKey}};
    service_auth::registerGuard(context, service_auth::Options::read(context.config()));
    CPPUNIT_ASSERT_EQUAL(size_t(1), context.requestHooks.size());
    const auto& hook = context.requestHooks[0];
    CPPUNIT_ASSERT(hook.point == crow::HookPoint::RequestBefore);
    CPPUNIT_ASSERT_EQUAL(service_auth::kHookPriority, hook.options.priority);

    auto run = [&](const std::string& path, std::optional<std::string> key) {
      crow::Request request;
      request.rawPath = path;
      request.attributes[service_auth::kCallerAttribute] = "forged";
      if (key) request.headers.push_back({"x-service-api-key", *key});
      crow::Response response;
      hook.hook(request, response);
      auto it = request.attributes.find(service_auth::kCallerAttribute);
      return it == request.attributes.end() ? std::string("<none>") : it->second;
    };
    auto refusal = [&](const std::string& path, std::optional<std::string> key) -> std::string {
      try {
        run(path, key);
      } catch (const crow::ApiError& e) {
        return std::to_string(e.status()) + " " + e.code();
      }
      return "passed";
    };

    CPPUNIT_ASSERT_EQUAL(std::string("gateway"), run("/api/v1/auth/api-key/verify", kGatewayKey));
    CPPUNIT_ASSERT_EQUAL(std::string("web-ingest"), run("/api/v1/auth/api-key/verify", kIngestKey));
    CPPUNIT_ASSERT_EQUAL(std::string("401 MISSING_SERVICE_KEY"), refusal("/api/v1/auth/api-key/verify", std::nullopt));
    CPPUNIT_ASSERT_EQUAL(std::string("401 INVALID_SERVICE_KEY"), refusal("/api/v1/auth/api-key/verify", "wrong"));
    CPPUNIT_ASSERT_EQUAL(std::string("401 INVALID_SERVICE_KEY"), refusal("/api/v1/auth/api-key/verify", ""));
    CPPUNIT_ASSERT_EQUAL(std::string("401 MISSING_SERVICE_KEY"), refusal("//api/v1/auth/API-KEY/verify/", std::nullopt));
    // Other paths are not its business: even a forged attribute is left for the router to ignore.
    CPPUNIT_ASSERT_EQUAL(std::string("forged"), run("/api/v1/auth/get-session", std::nullopt));
    for (const std::string& line : context.recordingLogger().lines)
      CPPUNIT_ASSERT(line.find(kGatewayKey) == std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServiceAuthUnitTest);
