// The shipped config/crow-auth.yaml and config/examples/*.yaml: they load, and every environment
// variable and secret of the service lands where the features will read it.
#include "config/app_config.hpp"
#include "config_test_support.hpp"

#include <cppunit/extensions/HelperMacros.h>

using namespace config_test;
using crow::host::AppConfig;

namespace {

const std::string kDefaultConfig = std::string(CROW_SOURCE_DIR) + "/config/crow-auth.yaml";
const std::string kPostgresExample = std::string(CROW_SOURCE_DIR) + "/config/examples/postgresql.yaml";
const std::string kProductionExample = std::string(CROW_SOURCE_DIR) + "/config/examples/production.yaml";

// Every variable and secret the service documents, with a distinct value each.
Env fullEnvironment() {
  return {
      {"PORT", "9911"},
      {"ENVIRONMENT", "dev"},
      {"BETTER_AUTH_URL", "https://dev.api.crowai.dev"},
      {"BETTER_AUTH_SECRET", "s3cr3t-0123456789-0123456789-abcdef"},
      {"DATABASE_URL", "postgresql://crow:pw@db.internal:5432/crow_auth"},
      {"TRUSTED_ORIGINS", "https://extra.crowai.dev, https://*.preview.crowai.dev"},
      {"PRODUCT_SERVICE_URL", "https://dev.internal.products.crowai.dev"},
      {"AUTH_CLIENT_URL", "https://dev.auth.crowai.dev"},
      {"NOTIFICATION_SERVICE_URL", "https://dev.internal.notifications.crowai.dev"},
      {"USER_SERVICE_URL", "https://dev.internal.users.crowai.dev"},
      {"BILLING_SERVICE_URL", "https://dev.internal.billing.crowai.dev"},
      {"ORGANIZATION_SERVICE_URL", "https://dev.internal.orgs.crowai.dev"},
      {"DASHBOARD_URL", "https://dev.app.crowai.dev"},
      {"GOOGLE_CLIENT_ID", "google-client-id.apps.googleusercontent.com"},
      {"GOOGLE_CLIENT_SECRET", "google-client-secret"},
      {"SERVICE_API_KEY_USER", "key-user"},
      {"SERVICE_API_KEY_ORGANIZATION", "key-organization"},
      {"SERVICE_API_KEY_BILLING", "key-billing"},
      {"SERVICE_API_KEY_NOTIFICATION", "key-notification"},
      {"SERVICE_API_KEY_PRODUCT", "key-product"},
      // Inbound keys are at least 32 characters (fatal in prod otherwise).
      {"SERVICE_API_KEY_GATEWAY", "key-gateway-0123456789abcdef0123456789"},
      {"SERVICE_API_KEY_WEB_INGEST", "key-web-ingest-0123456789abcdef0123456789"},
  };
}

AppConfig loadFile(const std::string& path, Env env) { return crow::host::loadConfig(path, envFrom(std::move(env))); }

const crow::host::PluginSpec* findPlugin(const AppConfig& config, const std::string& id) {
  for (const auto& plugin : config.plugins)
    if (plugin.id == id) return &plugin;
  return nullptr;
}

}  // namespace

class DefaultConfigTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DefaultConfigTest);
  CPPUNIT_TEST(loadsWithAnEmptyEnvironment);
  CPPUNIT_TEST(everyVariableIsMapped);
  CPPUNIT_TEST(sqliteDatabaseUrlForms);
  CPPUNIT_TEST(prodWithTheDefaultFileNeedsASecret);
  CPPUNIT_TEST(pluginListHasTheExample);
  CPPUNIT_TEST(postgresqlExampleLoads);
  CPPUNIT_TEST(productionExampleLoadsWithEveryVariable);
  CPPUNIT_TEST(productionExampleNamesAMissingVariable);
  CPPUNIT_TEST_SUITE_END();

 public:
  void loadsWithAnEmptyEnvironment() {
    AppConfig config = loadFile(kDefaultConfig, {});
    CPPUNIT_ASSERT_EQUAL(std::string("local"), config.environment);
    CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), config.server.host);
    CPPUNIT_ASSERT_EQUAL(8787, config.server.port);
    CPPUNIT_ASSERT_EQUAL(int64_t(1048576), config.server.maxBodyBytes);
    CPPUNIT_ASSERT_EQUAL(std::string("http://localhost:8787"), config.baseURL);
    CPPUNIT_ASSERT_EQUAL(std::string("/api/v1/auth"), config.basePath);
    CPPUNIT_ASSERT_EQUAL(std::string("better-auth-secret-12345678901234567890"), config.secret);
    CPPUNIT_ASSERT_EQUAL(std::string("sqlite"), config.database.backend);
    CPPUNIT_ASSERT_EQUAL(std::string("sqlite://var/crow-auth.db"), config.database.url);
    CPPUNIT_ASSERT(config.trustedOrigins.empty());
    CPPUNIT_ASSERT(config.services.empty());
    CPPUNIT_ASSERT(config.inboundKeys.empty());
    CPPUNIT_ASSERT(config.urls.empty());
    CPPUNIT_ASSERT(config.socialProviders.empty());
    CPPUNIT_ASSERT_EQUAL(size_t(1), config.secrets.size());  // only the (development) BETTER_AUTH_SECRET
    CPPUNIT_ASSERT_EQUAL(std::string("info"), config.logging.level);
    // The dev secret and the unconfigured integrations are reported, nothing else.
    CPPUNIT_ASSERT_EQUAL(size_t(2), config.warnings.size());
    ASSERT_CONTAINS(config.warnings[0], kDefaultConfig + ":");
    ASSERT_CONTAINS(config.warnings[0], ": secret: BETTER_AUTH_SECRET is not set; using Better Auth's development default");
    ASSERT_CONTAINS(config.warnings[1], "not configured");
  }

  void everyVariableIsMapped() {
    Env env = fullEnvironment();
    AppConfig config = loadFile(kDefaultConfig, env);
    CPPUNIT_ASSERT(config.warnings.empty());

    CPPUNIT_ASSERT_EQUAL(9911, config.server.port);                                       // PORT
    CPPUNIT_ASSERT_EQUAL(std::string("dev"), config.environment);                         // ENVIRONMENT
    CPPUNIT_ASSERT_EQUAL(env["BETTER_AUTH_URL"], config.baseURL);                         // BETTER_AUTH_URL
    CPPUNIT_ASSERT_EQUAL(env["BETTER_AUTH_SECRET"], config.secret);                       // BETTER_AUTH_SECRET
    CPPUNIT_ASSERT_EQUAL(env["BETTER_AUTH_SECRET"], config.secrets.at("BETTER_AUTH_SECRET"));
    CPPUNIT_ASSERT_EQUAL(env["DATABASE_URL"], config.database.url);                       // DATABASE_URL
    CPPUNIT_ASSERT_EQUAL(std::string("postgresql"), config.database.backend);
    // TRUSTED_ORIGINS, then the origins of AUTH_CLIENT_URL and DASHBOARD_URL.
    CPPUNIT_ASSERT((std::vector<std::string>{"https://extra.crowai.dev", "https://*.preview.crowai.dev",
                                             "https://dev.auth.crowai.dev", "https://dev.app.crowai.dev"}) ==
                   config.trustedOrigins);
    CPPUNIT_ASSERT_EQUAL(env["AUTH_CLIENT_URL"], config.urls.at("authClient"));          // AUTH_CLIENT_URL
    CPPUNIT_ASSERT_EQUAL(env["DASHBOARD_URL"], config.urls.at("dashboard"));             // DASHBOARD_URL

    const std::vector<std::pair<std::string, std::string>> services = {
        {"user", "USER"}, {"organization", "ORGANIZATION"}, {"billing", "BILLING"},
        {"notification", "NOTIFICATION"}, {"product", "PRODUCT"}};
    CPPUNIT_ASSERT_EQUAL(services.size(), config.services.size());
    for (const auto& [name, env_name] : services) {
      const crow::host::ServiceTarget& service = config.services.at(name);
      CPPUNIT_ASSERT_EQUAL(name, service.name);
      CPPUNIT_ASSERT_EQUAL(env[env_name + "_SERVICE_URL"], service.url);                  // <X>_SERVICE_URL
      CPPUNIT_ASSERT_EQUAL(env["SERVICE_API_KEY_" + env_name], service.apiKey);           // SERVICE_API_KEY_<X>
      CPPUNIT_ASSERT_EQUAL(env["SERVICE_API_KEY_" + env_name], config.secrets.at("SERVICE_API_KEY_" + env_name));
    }

    CPPUNIT_ASSERT_EQUAL(size_t(2), config.inboundKeys.size());
    CPPUNIT_ASSERT_EQUAL(std::string("gateway"), config.inboundKeys[0].caller);
    CPPUNIT_ASSERT_EQUAL(env["SERVICE_API_KEY_GATEWAY"], config.inboundKeys[0].key);      // SERVICE_API_KEY_GATEWAY
    CPPUNIT_ASSERT_EQUAL(std::string("web-ingest"), config.inboundKeys[1].caller);
    CPPUNIT_ASSERT_EQUAL(env["SERVICE_API_KEY_WEB_INGEST"], config.inboundKeys[1].key);   // SERVICE_API_KEY_WEB_INGEST
    CPPUNIT_ASSERT_EQUAL(env["SERVICE_API_KEY_GATEWAY"], config.secrets.at("SERVICE_API_KEY_GATEWAY"));
    CPPUNIT_ASSERT_EQUAL(env["SERVICE_API_KEY_WEB_INGEST"], config.secrets.at("SERVICE_API_KEY_WEB_INGEST"));

    const auto& google = config.socialProviders.at("google");
    CPPUNIT_ASSERT_EQUAL(env["GOOGLE_CLIENT_ID"], google.clientId);                        // GOOGLE_CLIENT_ID
    CPPUNIT_ASSERT_EQUAL(env["GOOGLE_CLIENT_SECRET"], google.clientSecret);                // GOOGLE_CLIENT_SECRET
    CPPUNIT_ASSERT_EQUAL(env["GOOGLE_CLIENT_ID"], config.secrets.at("GOOGLE_CLIENT_ID"));
    CPPUNIT_ASSERT_EQUAL(env["GOOGLE_CLIENT_SECRET"], config.secrets.at("GOOGLE_CLIENT_SECRET"));

    // 1 + 5 service keys + 2 inbound keys + 2 Google values.
    CPPUNIT_ASSERT_EQUAL(size_t(10), config.secrets.size());
  }

  void sqliteDatabaseUrlForms() {
    AppConfig absolute = loadFile(kDefaultConfig, {{"DATABASE_URL", "sqlite:///var/lib/crow-auth/auth.db"}});
    CPPUNIT_ASSERT_EQUAL(std::string("sqlite"), absolute.database.backend);
    CPPUNIT_ASSERT_EQUAL(std::string("sqlite:///var/lib/crow-auth/auth.db"), absolute.database.url);
    CPPUNIT_ASSERT_EQUAL(std::string("mysql"), loadFile(kDefaultConfig, {{"DATABASE_URL", "mysql://u@h/d"}}).database.backend);
    ASSERT_CONTAINS(errorOf([] { loadFile(kDefaultConfig, {{"DATABASE_URL", "redis://h"}}); }),
                    "database.url: has an unsupported scheme \"redis://\"");
  }

  void prodWithTheDefaultFileNeedsASecret() {
    std::string message = errorOf([] { loadFile(kDefaultConfig, {{"ENVIRONMENT", "prod"}}); });
    ASSERT_CONTAINS(message, kDefaultConfig + ":");
    ASSERT_CONTAINS(message, ": secret: BETTER_AUTH_SECRET is not set; environment prod needs a random secret");
    Env env = fullEnvironment();
    env["ENVIRONMENT"] = "prod";
    AppConfig config = loadFile(kDefaultConfig, env);
    CPPUNIT_ASSERT_EQUAL(std::string("prod"), config.environment);
    CPPUNIT_ASSERT(config.warnings.empty());
  }

  void pluginListHasTheExample() {
    AppConfig config = loadFile(kDefaultConfig, {});
    const crow::host::PluginSpec* example = findPlugin(config, "example");
    CPPUNIT_ASSERT(example != nullptr);
    CPPUNIT_ASSERT(example->enabled);
    CPPUNIT_ASSERT_EQUAL(std::string("Hello"), *example->config->getString("greeting"));
    CPPUNIT_ASSERT_EQUAL(int64_t(500), *example->config->getInt("maxNoteLength"));
    ASSERT_CONTAINS(example->location, kDefaultConfig + ":");
    // service-auth guards the gateway's API-key check with the keys of inboundKeys:.
    const crow::host::PluginSpec* serviceAuth = findPlugin(config, "service-auth");
    CPPUNIT_ASSERT(serviceAuth != nullptr);
    CPPUNIT_ASSERT(serviceAuth->enabled);
    CPPUNIT_ASSERT((std::vector<std::string>{"/api-key/verify"}) == *serviceAuth->config->getStringList("protect"));
  }

  void postgresqlExampleLoads() {
    AppConfig config = loadFile(kPostgresExample, {});
    CPPUNIT_ASSERT_EQUAL(std::string("postgresql"), config.database.backend);
    CPPUNIT_ASSERT_EQUAL(std::string("postgresql://crow_auth@localhost:5432/crow_auth"), config.database.url);
    CPPUNIT_ASSERT_EQUAL(16, config.database.poolSize);
    CPPUNIT_ASSERT_EQUAL(std::string("dev"), config.environment);
    // A MySQL URL contradicts its `backend: postgresql`.
    ASSERT_CONTAINS(errorOf([] { loadFile(kPostgresExample, {{"DATABASE_URL", "mysql://h/d"}}); }),
                    "database.backend: is \"postgresql\" but database.url is a mysql URL");
  }

  void productionExampleLoadsWithEveryVariable() {
    Env env = fullEnvironment();
    env.erase("ENVIRONMENT");  // the file says prod itself
    AppConfig config = loadFile(kProductionExample, env);
    CPPUNIT_ASSERT_EQUAL(std::string("prod"), config.environment);
    CPPUNIT_ASSERT_EQUAL(size_t(5), config.services.size());
    CPPUNIT_ASSERT_EQUAL(size_t(2), config.inboundKeys.size());
    CPPUNIT_ASSERT_EQUAL(size_t(1), config.socialProviders.size());
    CPPUNIT_ASSERT((std::vector<std::string>{"10.0.0.0/8", "172.16.0.0/12"}) == config.server.trustedProxies);
    CPPUNIT_ASSERT(findPlugin(config, "service-auth")->enabled);
    CPPUNIT_ASSERT(!findPlugin(config, "example")->enabled);
    CPPUNIT_ASSERT(config.warnings.empty());
  }

  void productionExampleNamesAMissingVariable() {
    Env env = fullEnvironment();
    env.erase("SERVICE_API_KEY_BILLING");
    std::string message = errorOf([&] { loadFile(kProductionExample, env); });
    ASSERT_CONTAINS(message, kProductionExample + ":");
    ASSERT_CONTAINS(message, ": services.billing.apiKey: environment variable SERVICE_API_KEY_BILLING is not set");
    env = fullEnvironment();
    env["BETTER_AUTH_SECRET"] = "better-auth-secret-12345678901234567890";
    ASSERT_CONTAINS(errorOf([&] { loadFile(kProductionExample, env); }),
                    ": secret: is Better Auth's development default; environment prod");
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DefaultConfigTest);
