// The top-level settings: keys, types, ranges, URLs, database, plugins list, secrets policy.
#include "config/app_config.hpp"
#include "config/url_rules.hpp"
#include "config_test_support.hpp"
#include "temp_dir.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>

using namespace config_test;
using crow::host::AppConfig;

namespace {
const std::string kGoodSecret = "0123456789abcdef0123456789abcdef-prod";
}

class AppConfigTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AppConfigTest);
  CPPUNIT_TEST(minimalFileGivesDefaults);
  CPPUNIT_TEST(unknownTopLevelKeyWithSuggestion);
  CPPUNIT_TEST(unknownNestedKeyWithLine);
  CPPUNIT_TEST(unknownKeyWithoutSuggestion);
  CPPUNIT_TEST(wrongTypeWithLine);
  CPPUNIT_TEST(portFromEnvironment);
  CPPUNIT_TEST(portFromEnvironmentNotANumber);
  CPPUNIT_TEST(missingVariableNamesFileLineAndVariable);
  CPPUNIT_TEST(serverRanges);
  CPPUNIT_TEST(serverSettings);
  CPPUNIT_TEST(trustedProxiesMustBeAddresses);
  CPPUNIT_TEST(environmentValues);
  CPPUNIT_TEST(basePathRules);
  CPPUNIT_TEST(baseUrlRules);
  CPPUNIT_TEST(trustedOriginsAsListOrCommaString);
  CPPUNIT_TEST(clientAndDashboardAreTrustedOrigins);
  CPPUNIT_TEST(databaseUrlSchemesGiveTheBackend);
  CPPUNIT_TEST(databaseDefaultIsLocalSqlite);
  CPPUNIT_TEST(databaseErrorsDoNotLeakPasswords);
  CPPUNIT_TEST(databaseBackendMustMatchUrl);
  CPPUNIT_TEST(sqliteUrlToPath);
  CPPUNIT_TEST(pluginEntries);
  CPPUNIT_TEST(pluginNeedsExactlyOneOfIdOrPath);
  CPPUNIT_TEST(pluginIdRules);
  CPPUNIT_TEST(duplicatePluginId);
  CPPUNIT_TEST(unknownPluginEntryKey);
  CPPUNIT_TEST(pluginPathsAreRelativeToTheConfigFile);
  CPPUNIT_TEST(prodWithoutSecretIsFatal);
  CPPUNIT_TEST(prodWithDevelopmentSecretIsFatal);
  CPPUNIT_TEST(prodWithShortSecretIsFatal);
  CPPUNIT_TEST(prodWithGoodSecret);
  CPPUNIT_TEST(localWithoutSecretWarnsAndUsesDevDefault);
  CPPUNIT_TEST(devWithShortSecretWarns);
  CPPUNIT_TEST(secretNeverAppearsInMessages);
  CPPUNIT_TEST(servicesAndKeys);
  CPPUNIT_TEST(missingServicesAreOneWarning);
  CPPUNIT_TEST(unknownServiceName);
  CPPUNIT_TEST(inboundKeyRotationList);
  CPPUNIT_TEST(inboundKeyPolicy);
  CPPUNIT_TEST(socialProviderNeedsBothValues);
  CPPUNIT_TEST(extraSecretsBlock);
  CPPUNIT_TEST(loggingSettings);
  CPPUNIT_TEST(settingsForPlugins);
  CPPUNIT_TEST_SUITE_END();

 public:
  void minimalFileGivesDefaults() {
    AppConfig config = load("basePath: /api/v1/auth\n");
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml"), config.sourceFile);
    CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), config.server.host);
    CPPUNIT_ASSERT_EQUAL(8787, config.server.port);
    CPPUNIT_ASSERT_EQUAL(64, config.server.threads);
    CPPUNIT_ASSERT_EQUAL(256, config.server.maxQueued);
    CPPUNIT_ASSERT_EQUAL(int64_t(1048576), config.server.maxBodyBytes);
    CPPUNIT_ASSERT(config.server.keepAlive);
    CPPUNIT_ASSERT_EQUAL(10000, config.server.shutdownGraceMs);
    CPPUNIT_ASSERT_EQUAL(std::string("local"), config.environment);
    CPPUNIT_ASSERT_EQUAL(std::string("/api/v1/auth"), config.basePath);
    CPPUNIT_ASSERT_EQUAL(std::string("http://localhost:8787"), config.baseURL);
    CPPUNIT_ASSERT_EQUAL(std::string(crow::host::kDevelopmentSecret), config.secret);
    CPPUNIT_ASSERT_EQUAL(std::string("sqlite"), config.database.backend);
    CPPUNIT_ASSERT_EQUAL(std::string("sqlite://var/crow-auth.db"), config.database.url);
    CPPUNIT_ASSERT_EQUAL(0, config.database.poolSize);  // 0: chosen per backend at open
    CPPUNIT_ASSERT_EQUAL(5000, config.database.busyTimeoutMs);
    CPPUNIT_ASSERT_EQUAL(std::string("info"), config.logging.level);
    CPPUNIT_ASSERT(config.plugins.empty());
    CPPUNIT_ASSERT(config.services.empty());
    CPPUNIT_ASSERT(config.inboundKeys.empty());
    CPPUNIT_ASSERT(config.trustedOrigins.empty());
    // baseURL defaulted, secret defaulted, optional integrations missing.
    CPPUNIT_ASSERT_EQUAL(size_t(3), config.warnings.size());
  }

  void unknownTopLevelKeyWithSuggestion() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: baseUrl: unknown key (did you mean \"baseURL\"?)"),
                         loadError("basePath: /x\nbaseUrl: http://a\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: plugin: unknown key (did you mean \"plugins\"?)"),
                         loadError("plugin:\n  - id: example\n"));
  }

  void unknownNestedKeyWithLine() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:4: server.prot: unknown key (did you mean \"port\"?)"),
                         loadError("environment: local\nserver:\n  host: 0.0.0.0\n  prot: 80\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:3: database.pool_size: unknown key (did you mean \"poolSize\"?)"),
                         loadError("database:\n  url: sqlite://a.db\n  pool_size: 3\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:4: services.user.apikey: unknown key (did you mean \"apiKey\"?)"),
                         loadError("services:\n  user:\n    url: http://u\n    apikey: k\n"));
  }

  void unknownKeyWithoutSuggestion() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: completelyDifferent: unknown key"),
                         loadError("completelyDifferent: 1\n"));
  }

  void wrongTypeWithLine() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:3: server.port: expected an integer, got \"eighty\""),
                         loadError("server:\n  host: x\n  port: eighty\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: server: expected a mapping, got \"8787\""),
                         loadError("server: 8787\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: server.keepAlive: expected true or false, got \"maybe\""),
                         loadError("server:\n  keepAlive: maybe\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: plugins: expected a list, got a mapping"),
                         loadError("plugins:\n  id: example\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: baseURL: expected a string, got a list"),
                         loadError("baseURL: [http://a]\n"));
    CPPUNIT_ASSERT_EQUAL(
        std::string("test.yaml:2: server.maxBodyBytes: expected a size in bytes (like 1048576 or 1MiB), got \"lots\""),
        loadError("server:\n  maxBodyBytes: lots\n"));
  }

  void portFromEnvironment() {
    AppConfig config = load("server:\n  port: ${PORT:-8787}\n", {{"PORT", "9090"}});
    CPPUNIT_ASSERT_EQUAL(9090, config.server.port);
    CPPUNIT_ASSERT_EQUAL(std::string("http://localhost:9090"), config.baseURL);
    CPPUNIT_ASSERT_EQUAL(8787, load("server:\n  port: ${PORT:-8787}\n", {{"PORT", ""}}).server.port);
    CPPUNIT_ASSERT_EQUAL(1234, load("server:\n  port: \"${PORT}\"\n", {{"PORT", "1234"}}).server.port);
  }

  void portFromEnvironmentNotANumber() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:3: server.port: expected an integer, got \"abc\" (from ${PORT})"),
                         loadError("server:\n  host: x\n  port: ${PORT}\n", {{"PORT", "abc"}}));
  }

  void missingVariableNamesFileLineAndVariable() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:3: server.port: environment variable PORT is not set "
                                     "(write ${PORT:-default} to give a default)"),
                         loadError("server:\n  host: x\n  port: ${PORT}\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: baseURL: unterminated \"${\" (write \"$${\" for a literal \"${\")"),
                         loadError("baseURL: http://${HOST\n"));
  }

  void serverRanges() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: server.port: must be between 0 and 65535, got 70000"),
                         loadError("server:\n  port: 70000\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: server.port: must be between 0 and 65535, got -1"),
                         loadError("server:\n  port: -1\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: server.threads: must be between 1 and 1024, got 0"),
                         loadError("server:\n  threads: 0\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: server.maxBodyBytes: must be between 1 and 1073741824 (1GiB), got 0"),
                         loadError("server:\n  maxBodyBytes: 0\n"));
    ASSERT_CONTAINS(loadError("server:\n  port: 99999999999999999999\n"), "server.port: expected an integer");
    CPPUNIT_ASSERT_EQUAL(0, load("server:\n  port: 0\n").server.port);
    CPPUNIT_ASSERT_EQUAL(65535, load("server:\n  port: 65535\n").server.port);
  }

  void serverSettings() {
    AppConfig config = load(
        "server:\n  host: 0.0.0.0\n  threads: 4\n  maxQueued: 10\n  maxBodyBytes: 2MiB\n"
        "  trustedProxies: 10.0.0.0/8, ::1\n  keepAlive: off\n  shutdownGraceMs: 0\n");
    CPPUNIT_ASSERT_EQUAL(std::string("0.0.0.0"), config.server.host);
    CPPUNIT_ASSERT_EQUAL(4, config.server.threads);
    CPPUNIT_ASSERT_EQUAL(10, config.server.maxQueued);
    CPPUNIT_ASSERT_EQUAL(int64_t(2 << 20), config.server.maxBodyBytes);
    CPPUNIT_ASSERT((std::vector<std::string>{"10.0.0.0/8", "::1"}) == config.server.trustedProxies);
    CPPUNIT_ASSERT(!config.server.keepAlive);
    CPPUNIT_ASSERT_EQUAL(0, config.server.shutdownGraceMs);
    CPPUNIT_ASSERT_EQUAL(int64_t(512 * 1024), load("server:\n  maxBodyBytes: 512k\n").server.maxBodyBytes);
    CPPUNIT_ASSERT_EQUAL(int64_t(1000), load("server:\n  maxBodyBytes: 1000\n").server.maxBodyBytes);
  }

  void trustedProxiesMustBeAddresses() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: server.trustedProxies: expected IP addresses or CIDR ranges "
                                     "(10.0.0.0/8, ::1), got \"lb.internal\""),
                         loadError("server:\n  trustedProxies: [10.0.0.1, lb.internal]\n"));
    ASSERT_CONTAINS(loadError("server:\n  trustedProxies: [10.0.0.0/33]\n"), "got \"10.0.0.0/33\"");
  }

  void environmentValues() {
    CPPUNIT_ASSERT_EQUAL(std::string("dev"), load("environment: dev\n").environment);
    CPPUNIT_ASSERT_EQUAL(std::string("dev"), load("environment: ${ENVIRONMENT:-local}\n", {{"ENVIRONMENT", "dev"}}).environment);
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: environment: expected local, dev or prod, got \"production\" "
                                     "(did you mean \"prod\"?)"),
                         loadError("environment: production\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: environment: expected local, dev or prod, got \"staging\" "
                                     "(from ${ENVIRONMENT})"),
                         loadError("environment: ${ENVIRONMENT}\n", {{"ENVIRONMENT", "staging"}}));
    ASSERT_CONTAINS(loadError("environment: Prod\n"), "(did you mean \"prod\"?)");
  }

  void basePathRules() {
    CPPUNIT_ASSERT_EQUAL(std::string("/auth"), load("basePath: /auth\n").basePath);
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: basePath: must start with \"/\", got \"api/auth\""),
                         loadError("basePath: api/auth\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: basePath: must not end with \"/\", got \"/api/auth/\""),
                         loadError("basePath: /api/auth/\n"));
    ASSERT_CONTAINS(loadError("basePath: /\n"), "test.yaml:1: basePath: must name a path");
    ASSERT_CONTAINS(loadError("basePath: /a//b\n"), "basePath: must be a plain path");
    ASSERT_CONTAINS(loadError("basePath: /a?b\n"), "basePath: must be a plain path");
  }

  void baseUrlRules() {
    CPPUNIT_ASSERT_EQUAL(std::string("https://auth.example.com"),
                         load("baseURL: https://auth.example.com/\n").baseURL);
    CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:3000"), load("baseURL: http://127.0.0.1:3000\n").baseURL);
    CPPUNIT_ASSERT_EQUAL(std::string("http://[::1]:3000"), load("baseURL: http://[::1]:3000\n").baseURL);
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: baseURL: expected an absolute http:// or https:// URL such as "
                                     "https://auth.example.com, got \"auth.example.com\""),
                         loadError("baseURL: auth.example.com\n"));
    ASSERT_CONTAINS(loadError("baseURL: ftp://x\n"), "baseURL: expected an absolute http");
    ASSERT_CONTAINS(loadError("baseURL: http://\n"), "baseURL: expected an absolute http");
    ASSERT_CONTAINS(loadError("baseURL: http://a:99999\n"), "baseURL: expected an absolute http");
    ASSERT_CONTAINS(loadError("baseURL: http://a b\n"), "baseURL: expected an absolute http");
    // BETTER_AUTH_URL fills it.
    CPPUNIT_ASSERT_EQUAL(std::string("https://dev.api.crowai.dev"),
                         load("baseURL: ${BETTER_AUTH_URL:-http://localhost:8787}\n",
                              {{"BETTER_AUTH_URL", "https://dev.api.crowai.dev"}})
                             .baseURL);
  }

  void trustedOriginsAsListOrCommaString() {
    AppConfig list = load("trustedOrigins:\n  - https://a.example\n  - https://b.example/\n");
    CPPUNIT_ASSERT((std::vector<std::string>{"https://a.example", "https://b.example"}) == list.trustedOrigins);
    AppConfig fromEnv = load("trustedOrigins: ${TRUSTED_ORIGINS:-}\n",
                             {{"TRUSTED_ORIGINS", " https://a.example,https://*.crowai.dev ,, https://a.example,myapp://"}});
    CPPUNIT_ASSERT((std::vector<std::string>{"https://a.example", "https://*.crowai.dev", "myapp://"}) ==
                   fromEnv.trustedOrigins);
    CPPUNIT_ASSERT(load("trustedOrigins: ${TRUSTED_ORIGINS:-}\n").trustedOrigins.empty());
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: trustedOrigins: expected origins such as https://app.example.com "
                                     "(comma-separated in TRUSTED_ORIGINS), got \"app.example.com\""),
                         loadError("trustedOrigins: ${TRUSTED_ORIGINS}\n", {{"TRUSTED_ORIGINS", "app.example.com"}}));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:3: trustedOrigins[1]: expected a string, got a mapping"),
                         loadError("trustedOrigins:\n  - https://a\n  - {x: 1}\n"));
  }

  void clientAndDashboardAreTrustedOrigins() {
    AppConfig config = load(
        "trustedOrigins: https://a.example\n"
        "urls:\n  authClient: https://Auth.Example.com/sign-in\n  dashboard: https://app.example.com:8443/home\n");
    CPPUNIT_ASSERT((std::vector<std::string>{"https://a.example", "https://auth.example.com",
                                             "https://app.example.com:8443"}) == config.trustedOrigins);
    CPPUNIT_ASSERT_EQUAL(std::string("https://Auth.Example.com/sign-in"), config.urls.at("authClient"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: urls.dashboard: expected an absolute http:// or https:// URL, "
                                     "got \"app.example.com\""),
                         loadError("urls:\n  dashboard: app.example.com\n"));
    ASSERT_CONTAINS(loadError("urls:\n  dashbord: https://x\n"), "urls.dashbord: unknown key (did you mean \"dashboard\"?)");
  }

  void databaseUrlSchemesGiveTheBackend() {
    auto backendFor = [](const std::string& url) {
      return load("database:\n  url: ${DATABASE_URL}\n", {{"DATABASE_URL", url}}).database.backend;
    };
    CPPUNIT_ASSERT_EQUAL(std::string("sqlite"), backendFor("sqlite:///var/lib/crow-auth/auth.db"));
    CPPUNIT_ASSERT_EQUAL(std::string("sqlite"), backendFor("sqlite://var/crow-auth.db"));
    CPPUNIT_ASSERT_EQUAL(std::string("postgresql"), backendFor("postgresql://u:p@db:5432/auth"));
    CPPUNIT_ASSERT_EQUAL(std::string("postgresql"), backendFor("postgres://u:p@db/auth"));
    CPPUNIT_ASSERT_EQUAL(std::string("mysql"), backendFor("mysql://u:p@db:3306/auth"));
    CPPUNIT_ASSERT_EQUAL(std::string("mysql"), backendFor("MySQL://u:p@db:3306/auth"));
    AppConfig config = load("database:\n  url: postgresql://u@db/auth\n  poolSize: 32\n  busyTimeoutMs: 0\n");
    CPPUNIT_ASSERT_EQUAL(std::string("postgresql://u@db/auth"), config.database.url);
    CPPUNIT_ASSERT_EQUAL(32, config.database.poolSize);
    CPPUNIT_ASSERT_EQUAL(0, config.database.busyTimeoutMs);
  }

  void databaseDefaultIsLocalSqlite() {
    AppConfig config = load("database:\n  url: ${DATABASE_URL:-sqlite://var/crow-auth.db}\n", {{"DATABASE_URL", ""}});
    CPPUNIT_ASSERT_EQUAL(std::string("sqlite://var/crow-auth.db"), config.database.url);
    CPPUNIT_ASSERT_EQUAL(std::string("sqlite"), config.database.backend);
    // An empty url is "not set": the default applies.
    CPPUNIT_ASSERT_EQUAL(std::string("sqlite://var/crow-auth.db"), load("database:\n  url: ${DATABASE_URL:-}\n").database.url);
  }

  void databaseErrorsDoNotLeakPasswords() {
    std::string message = loadError("database:\n  url: ${DATABASE_URL}\n", {{"DATABASE_URL", "mongodb://admin:hunter2@db/x"}});
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: database.url: has an unsupported scheme \"mongodb://\"; expected "
                                     "sqlite:///path, postgresql://... or mysql://... (DATABASE_URL)"),
                         message);
    CPPUNIT_ASSERT(!contains(message, "hunter2"));
    ASSERT_CONTAINS(loadError("database:\n  url: /var/lib/x.db\n"), "database.url: has no scheme");
    ASSERT_CONTAINS(loadError("database:\n  url: \"sqlite://\"\n"), "database.url: names no file");
  }

  void databaseBackendMustMatchUrl() {
    CPPUNIT_ASSERT_EQUAL(std::string("postgresql"),
                         load("database:\n  backend: postgres\n  url: postgresql://db/x\n").database.backend);
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: database.backend: is \"mysql\" but database.url is a postgresql URL"),
                         loadError("database:\n  backend: mysql\n  url: postgresql://db/x\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: database.backend: expected sqlite, postgresql or mysql, got "
                                     "\"sqlit\" (did you mean \"sqlite\"?)"),
                         loadError("database:\n  backend: sqlit\n"));
  }

  void sqliteUrlToPath() {
    CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/a.db"), crow::host::sqliteFilePath("sqlite:///var/lib/a.db"));
    CPPUNIT_ASSERT_EQUAL(std::string("var/crow-auth.db"), crow::host::sqliteFilePath("sqlite://var/crow-auth.db"));
    CPPUNIT_ASSERT_EQUAL(std::string(":memory:"), crow::host::sqliteFilePath("sqlite://:memory:"));
    CPPUNIT_ASSERT_EQUAL(std::string("a.db"), crow::host::sqliteFilePath("sqlite://a.db?mode=ro"));
  }

  void pluginEntries() {
    AppConfig config = load(
        "plugins:\n"
        "  - id: example\n"
        "  - id: organization\n"
        "    enabled: ${ORG_ENABLED:-false}\n"
        "    config:\n"
        "      allowUserToCreateOrganization: true\n"
        "  - path: /opt/crow/custom.so\n");
    CPPUNIT_ASSERT_EQUAL(size_t(3), config.plugins.size());
    CPPUNIT_ASSERT_EQUAL(std::string("example"), config.plugins[0].id);
    CPPUNIT_ASSERT(config.plugins[0].path.empty());
    CPPUNIT_ASSERT(config.plugins[0].enabled);
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2"), config.plugins[0].location);
    CPPUNIT_ASSERT_EQUAL(std::string("organization"), config.plugins[1].id);
    CPPUNIT_ASSERT(!config.plugins[1].enabled);
    CPPUNIT_ASSERT_EQUAL(true, *config.plugins[1].config->getBool("allowUserToCreateOrganization"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:3"), config.plugins[1].location);
    CPPUNIT_ASSERT(config.plugins[2].id.empty());
    CPPUNIT_ASSERT_EQUAL(std::string("/opt/crow/custom.so"), config.plugins[2].path);
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:7"), config.plugins[2].location);
  }

  void pluginNeedsExactlyOneOfIdOrPath() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:3: plugins[1]: give either id or path, not both"),
                         loadError("plugins:\n  - id: a\n  - id: b\n    path: /x.so\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: plugins[0]: needs an id (a plugin name such as \"example\") or a "
                                     "path (to a plugin library)"),
                         loadError("plugins:\n  - enabled: true\n"));
    // ${VAR:-} that comes out empty counts as missing.
    ASSERT_CONTAINS(loadError("plugins:\n  - id: ${PLUGIN:-}\n"), "test.yaml:2: plugins[0]: needs an id");
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: plugins[0]: expected a mapping, got \"example\""),
                         loadError("plugins:\n  - example\n"));
  }

  void pluginIdRules() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: plugins[0].id: \"Email_OTP\" is not a plugin id (lower-case "
                                     "letters, digits and '-', at most 64)"),
                         loadError("plugins:\n  - id: Email_OTP\n"));
    ASSERT_CONTAINS(loadError("plugins:\n  - id: ../evil\n"), "plugins[0].id: \"../evil\" is not a plugin id");
    CPPUNIT_ASSERT_EQUAL(std::string("email-otp2"), load("plugins:\n  - id: email-otp2\n").plugins[0].id);
  }

  void duplicatePluginId() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:5: plugins[2].id: duplicate plugin id \"example\" (first at line 2)"),
                         loadError("plugins:\n  - id: example\n  - id: other\n    enabled: false\n  - id: example\n"));
    ASSERT_CONTAINS(loadError("plugins:\n  - path: /a.so\n  - path: /b/../a.so\n"),
                    "test.yaml:3: plugins[1].path: duplicate plugin path");
  }

  void unknownPluginEntryKey() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:3: plugins[0].enable: unknown key (did you mean \"enabled\"?)"),
                         loadError("plugins:\n  - id: example\n    enable: false\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:3: plugins[0].greeting: unknown key"),
                         loadError("plugins:\n  - id: example\n    greeting: hi\n"));
  }

  void pluginPathsAreRelativeToTheConfigFile() {
    TempDir dir;
    std::string file = dir.write("etc/crow-auth.yaml",
                                 "pluginPaths: [plugins, /usr/lib/extra]\n"
                                 "plugins:\n  - path: ../lib/custom.so\n");
    AppConfig config = crow::host::loadConfig(file, envFrom({}));
    CPPUNIT_ASSERT_EQUAL(file, config.sourceFile);
    CPPUNIT_ASSERT_EQUAL((std::filesystem::path(dir.path()) / "lib/custom.so").lexically_normal().string(),
                         config.plugins[0].path);
    CPPUNIT_ASSERT((std::vector<std::string>{(std::filesystem::path(dir.path()) / "etc/plugins").string(),
                                             "/usr/lib/extra"}) == config.pluginPaths);
    CPPUNIT_ASSERT_EQUAL(file + ":3", config.plugins[0].location);
  }

  void prodWithoutSecretIsFatal() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: secret: BETTER_AUTH_SECRET is not set; environment prod needs a "
                                     "random secret of at least 32 characters (generate one with: openssl rand "
                                     "-base64 32)"),
                         loadError("environment: prod\nsecret: ${BETTER_AUTH_SECRET:-}\nbaseURL: https://a\n"));
    ASSERT_CONTAINS(loadError("environment: prod\nbaseURL: https://a\n"), "test.yaml:1: secret: BETTER_AUTH_SECRET is not set");
    ASSERT_CONTAINS(loadError("environment: ${ENVIRONMENT}\nsecret: ${BETTER_AUTH_SECRET:-}\nbaseURL: https://a\n",
                              {{"ENVIRONMENT", "prod"}, {"BETTER_AUTH_SECRET", ""}}),
                    "secret: BETTER_AUTH_SECRET is not set");
  }

  void prodWithDevelopmentSecretIsFatal() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: secret: is Better Auth's development default; environment prod "
                                     "needs a random secret of at least 32 characters (generate one with: openssl "
                                     "rand -base64 32)"),
                         loadError("environment: prod\nsecret: ${BETTER_AUTH_SECRET}\nbaseURL: https://a\n",
                                   {{"BETTER_AUTH_SECRET", "better-auth-secret-12345678901234567890"}}));
  }

  void prodWithShortSecretIsFatal() {
    ASSERT_CONTAINS(loadError("environment: prod\nsecret: ${BETTER_AUTH_SECRET}\nbaseURL: https://a\n",
                              {{"BETTER_AUTH_SECRET", std::string(31, 'x')}}),
                    "test.yaml:2: secret: is shorter than 32 characters; environment prod needs");
  }

  void prodWithGoodSecret() {
    AppConfig config = load("environment: prod\nsecret: ${BETTER_AUTH_SECRET}\nbaseURL: https://auth.example.com\n"
                            "database:\n  url: postgresql://db/x\n",
                            {{"BETTER_AUTH_SECRET", kGoodSecret}});
    CPPUNIT_ASSERT_EQUAL(kGoodSecret, config.secret);
    CPPUNIT_ASSERT_EQUAL(kGoodSecret, config.secrets.at("BETTER_AUTH_SECRET"));
    CPPUNIT_ASSERT_EQUAL(std::string(32, 'y'),
                         load("environment: prod\nsecret: " + std::string(32, 'y') + "\nbaseURL: https://a\n").secret);
    // prod needs an explicit baseURL, and warns about http and SQLite.
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:1: baseURL: required in environment prod (set BETTER_AUTH_URL)"),
                         loadError("environment: prod\nsecret: " + kGoodSecret + "\n"));
    AppConfig risky = load("environment: prod\nsecret: " + kGoodSecret + "\nbaseURL: http://a.example\n");
    bool httpWarned = false, sqliteWarned = false;
    for (const auto& warning : risky.warnings) {
      httpWarned |= contains(warning, "baseURL: is not https in environment prod");
      sqliteWarned |= contains(warning, "SQLite in environment prod");
    }
    CPPUNIT_ASSERT(httpWarned);
    CPPUNIT_ASSERT(sqliteWarned);
  }

  void localWithoutSecretWarnsAndUsesDevDefault() {
    for (const char* environment : {"local", "dev"}) {
      AppConfig config = load(std::string("environment: ") + environment + "\nsecret: ${BETTER_AUTH_SECRET:-}\n");
      CPPUNIT_ASSERT_EQUAL(std::string("better-auth-secret-12345678901234567890"), config.secret);
      CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: secret: BETTER_AUTH_SECRET is not set; using Better Auth's "
                                       "development default (fatal in environment prod)"),
                           config.warnings.at(1));
    }
    AppConfig explicitDefault = load("secret: better-auth-secret-12345678901234567890\n");
    ASSERT_CONTAINS(explicitDefault.warnings.at(1), "secret: is Better Auth's development default (fatal in environment prod)");
  }

  void devWithShortSecretWarns() {
    AppConfig config = load("environment: dev\nsecret: short\n");
    CPPUNIT_ASSERT_EQUAL(std::string("short"), config.secret);
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: secret: is shorter than 32 characters (fatal in environment prod)"),
                         config.warnings.at(1));
  }

  void secretNeverAppearsInMessages() {
    const std::string secret = "hunter2-hunter2-hunter2";
    AppConfig config = load("environment: dev\nsecret: ${S}\nservices:\n  user:\n    url: http://u\n    apiKey: ${K}\n",
                            {{"S", secret}, {"K", "svc-key-xyz"}});
    for (const auto& warning : config.warnings) {
      CPPUNIT_ASSERT(!contains(warning, secret));
      CPPUNIT_ASSERT(!contains(warning, "svc-key-xyz"));
    }
    CPPUNIT_ASSERT(!contains(loadError("environment: prod\nsecret: ${S}\n", {{"S", secret}}), secret));
  }

  void servicesAndKeys() {
    AppConfig config = load(
        "services:\n"
        "  user:\n    url: https://users.internal/\n    apiKey: ku\n"
        "  notification:\n    url: https://notify.internal\n"
        "  billing:\n    apiKey: kb\n"
        "inboundKeys:\n  gateway: kg\n  web-ingest: kw\n  reports: kr\n");
    CPPUNIT_ASSERT_EQUAL(size_t(2), config.services.size());
    CPPUNIT_ASSERT_EQUAL(std::string("user"), config.services.at("user").name);
    CPPUNIT_ASSERT_EQUAL(std::string("https://users.internal"), config.services.at("user").url);
    CPPUNIT_ASSERT_EQUAL(std::string("ku"), config.services.at("user").apiKey);
    CPPUNIT_ASSERT_EQUAL(std::string(""), config.services.at("notification").apiKey);
    CPPUNIT_ASSERT_EQUAL(std::string("ku"), config.secrets.at("SERVICE_API_KEY_USER"));
    CPPUNIT_ASSERT_EQUAL(std::string("kb"), config.secrets.at("SERVICE_API_KEY_BILLING"));
    CPPUNIT_ASSERT_EQUAL(size_t(3), config.inboundKeys.size());
    CPPUNIT_ASSERT_EQUAL(std::string("web-ingest"), config.inboundKeys[1].caller);
    CPPUNIT_ASSERT_EQUAL(std::string("kw"), config.inboundKeys[1].key);
    CPPUNIT_ASSERT_EQUAL(std::string("kw"), config.secrets.at("SERVICE_API_KEY_WEB_INGEST"));
    CPPUNIT_ASSERT_EQUAL(std::string("kr"), config.secrets.at("SERVICE_API_KEY_REPORTS"));
    bool apiKeyWarned = false;
    for (const auto& warning : config.warnings)
      apiKeyWarned |= contains(warning, "test.yaml:5: services.notification.apiKey: not set;");
    CPPUNIT_ASSERT(apiKeyWarned);
    ASSERT_CONTAINS(loadError("services:\n  user:\n    url: users.internal\n"),
                    "test.yaml:3: services.user.url: expected an absolute http:// or https:// URL");
    ASSERT_CONTAINS(loadError("inboundKeys:\n  Gateway: k\n"), "test.yaml:2: inboundKeys.Gateway: caller names are");
  }

  void missingServicesAreOneWarning() {
    AppConfig config = load("environment: local\nsecret: " + kGoodSecret + "\nbaseURL: http://localhost:1\n");
    CPPUNIT_ASSERT_EQUAL(size_t(1), config.warnings.size());
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml: not configured (a feature that needs one reports it when "
                                     "enabled): services.user, services.organization, services.billing, "
                                     "services.notification, services.product, inboundKeys.gateway, "
                                     "inboundKeys.web-ingest, socialProviders.google"),
                         config.warnings[0]);
  }

  void unknownServiceName() {
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: services.users: unknown key (did you mean \"user\"?)"),
                         loadError("services:\n  users:\n    url: http://x\n"));
  }

  void inboundKeyRotationList() {
    AppConfig config = load("inboundKeys:\n  gateway: [new-key, old-key]\n  web-ingest: ${K:-}\n");
    CPPUNIT_ASSERT_EQUAL(size_t(2), config.inboundKeys.size());
    CPPUNIT_ASSERT_EQUAL(std::string("gateway"), config.inboundKeys[1].caller);
    CPPUNIT_ASSERT_EQUAL(std::string("old-key"), config.inboundKeys[1].key);
    CPPUNIT_ASSERT_EQUAL(std::string("new-key"), config.secrets.at("SERVICE_API_KEY_GATEWAY"));
    CPPUNIT_ASSERT(!config.secrets.count("SERVICE_API_KEY_WEB_INGEST"));
    // A key holding a comma stays one key.
    CPPUNIT_ASSERT_EQUAL(std::string("a,b"), load("inboundKeys:\n  gateway: a,b\n").inboundKeys.at(0).key);
  }

  // Keys others present in X-Service-API-Key (InitContext::inboundCaller): prod needs each listed
  // caller to have random keys of at least 32 characters; no message ever holds a key.
  void inboundKeyPolicy() {
    const std::string prod = "environment: prod\nsecret: " + kGoodSecret + "\nbaseURL: https://auth.example.com\n";
    const std::string gateway = "gw-0123456789abcdef0123456789abcdef";
    const std::string ingest = "wi-0123456789abcdef0123456789abcdef";
    AppConfig good = load(prod + "inboundKeys:\n  gateway: [" + gateway + ", " + ingest + "-old]\n  web-ingest: " +
                          ingest + "\n");
    CPPUNIT_ASSERT_EQUAL(size_t(3), good.inboundKeys.size());
    for (const auto& warning : good.warnings) CPPUNIT_ASSERT_MESSAGE(warning, !contains(warning, "inboundKeys"));

    std::string error = loadError(prod + "inboundKeys:\n  gateway: short-key-123\n");
    ASSERT_CONTAINS(error, "test.yaml:5: inboundKeys.gateway: a key is shorter than 32 characters; environment prod");
    CPPUNIT_ASSERT(!contains(error, "short-key-123"));
    error = loadError(prod + "inboundKeys:\n  gateway: [" + gateway + ", short-key-123]\n");
    ASSERT_CONTAINS(error, "inboundKeys.gateway: a key is shorter than 32 characters");  // every key of a rotation
    ASSERT_CONTAINS(loadError(prod + "inboundKeys:\n  gateway: " + gateway + "\n  web-ingest: ${SERVICE_API_KEY_WEB_INGEST:-}\n"),
                    "test.yaml:6: inboundKeys.web-ingest: caller web-ingest has no key (set SERVICE_API_KEY_WEB_INGEST); "
                    "environment prod needs one");
    ASSERT_CONTAINS(loadError(prod + "inboundKeys:\n  gateway: []\n"), "inboundKeys.gateway: caller gateway has no key");

    // Elsewhere a short key is a warning and an unset one is only "not configured".
    AppConfig dev = load("environment: dev\ninboundKeys:\n  gateway: short-key-123\n  web-ingest: ${K:-}\n");
    CPPUNIT_ASSERT_EQUAL(size_t(1), dev.inboundKeys.size());
    bool shortWarned = false;
    for (const auto& warning : dev.warnings) {
      shortWarned |= contains(warning, "test.yaml:3: inboundKeys.gateway: a key is shorter than 32 characters (fatal in "
                                       "environment prod)");
      CPPUNIT_ASSERT(!contains(warning, "short-key-123"));
      CPPUNIT_ASSERT(!contains(warning, "web-ingest has no key"));
    }
    CPPUNIT_ASSERT(shortWarned);

    // Everywhere: a key no HTTP header can carry, or one two callers share.
    ASSERT_CONTAINS(loadError("inboundKeys:\n  gateway: \"" + gateway + " \"\n"),
                    "inboundKeys.gateway: a key has surrounding whitespace or control characters");
    ASSERT_CONTAINS(loadError("inboundKeys:\n  gateway: \"" + gateway + "\\n\"\n"),
                    "inboundKeys.gateway: a key has surrounding whitespace or control characters");
    error = loadError("inboundKeys:\n  gateway: " + gateway + "\n  web-ingest: [" + ingest + ", " + gateway + "]\n");
    ASSERT_CONTAINS(error, "test.yaml:3: inboundKeys.web-ingest: a key is also a key of caller gateway");
    CPPUNIT_ASSERT(!contains(error, gateway));
  }

  void socialProviderNeedsBothValues() {
    AppConfig both = load("socialProviders:\n  google:\n    clientId: cid\n    clientSecret: cs\n");
    CPPUNIT_ASSERT_EQUAL(std::string("cid"), both.socialProviders.at("google").clientId);
    CPPUNIT_ASSERT_EQUAL(std::string("cs"), both.socialProviders.at("google").clientSecret);
    CPPUNIT_ASSERT_EQUAL(std::string("cid"), both.secrets.at("GOOGLE_CLIENT_ID"));
    CPPUNIT_ASSERT_EQUAL(std::string("cs"), both.secrets.at("GOOGLE_CLIENT_SECRET"));
    AppConfig half = load("socialProviders:\n  google:\n    clientId: cid\n    clientSecret: ${GOOGLE_CLIENT_SECRET:-}\n");
    CPPUNIT_ASSERT(half.socialProviders.empty());
    bool warned = false;
    for (const auto& w : half.warnings)
      warned |= contains(w, "test.yaml:4: socialProviders.google.clientSecret: not set (GOOGLE_CLIENT_SECRET)");
    CPPUNIT_ASSERT(warned);
    ASSERT_CONTAINS(loadError("socialProviders:\n  gogle: {}\n"), "socialProviders.gogle: unknown key (did you mean \"google\"?)");
  }

  void extraSecretsBlock() {
    AppConfig config = load("secrets:\n  RESEND_API_KEY: ${RESEND_API_KEY:-}\n  WEBHOOK_SECRET: w\n", {{"RESEND_API_KEY", "re"}});
    CPPUNIT_ASSERT_EQUAL(std::string("re"), config.secrets.at("RESEND_API_KEY"));
    CPPUNIT_ASSERT_EQUAL(std::string("w"), config.secrets.at("WEBHOOK_SECRET"));
    ASSERT_CONTAINS(loadError("secrets:\n  resend: x\n"), "test.yaml:2: secrets.resend: secret names are written like");
    ASSERT_CONTAINS(loadError("secret: " + kGoodSecret + "\nsecrets:\n  BETTER_AUTH_SECRET: x\n"),
                    "test.yaml:3: secrets.BETTER_AUTH_SECRET: is already given by another setting");
  }

  void loggingSettings() {
    AppConfig config = load("logging:\n  level: ${LOG_LEVEL:-info}\n  accessLog: false\n", {{"LOG_LEVEL", "debug"}});
    CPPUNIT_ASSERT_EQUAL(std::string("debug"), config.logging.level);
    CPPUNIT_ASSERT(!config.logging.accessLog);
    CPPUNIT_ASSERT_EQUAL(std::string("test.yaml:2: logging.level: expected debug, info, warn or error, got "
                                     "\"warning\" (did you mean \"warn\"?)"),
                         loadError("logging:\n  level: warning\n"));
  }

  void settingsForPlugins() {
    AppConfig config = load("environment: dev\nbaseURL: https://a.example\nbasePath: /auth\ntrustedOrigins: https://b\n");
    crow::Settings settings = config.settings();
    CPPUNIT_ASSERT_EQUAL(std::string("https://a.example"), settings.baseURL);
    CPPUNIT_ASSERT_EQUAL(std::string("/auth"), settings.basePath);
    CPPUNIT_ASSERT_EQUAL(std::string("dev"), settings.environment);
    CPPUNIT_ASSERT((std::vector<std::string>{"https://b"}) == settings.trustedOrigins);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AppConfigTest);
