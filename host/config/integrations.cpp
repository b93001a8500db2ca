// The service's connections to the rest of the platform: `services:` (outbound, with the key we
// present), `inboundKeys:` (keys others present to us), `urls:`, `socialProviders:`, `secrets:` and
// `trustedOrigins:`.
#include "config/config_sections.hpp"
#include "config/suggest.hpp"
#include "config/url_rules.hpp"

#include <algorithm>
#include <cctype>

namespace crow::host::sections {

namespace {

const std::vector<std::string_view> kServices = {"user", "organization", "billing", "notification", "product"};
const std::vector<std::string_view> kKnownCallers = {"gateway", "web-ingest"};
const std::vector<std::string_view> kUrls = {"authClient", "dashboard"};
const std::vector<std::string_view> kSocialProviders = {"google"};

// "web-ingest" -> "WEB_INGEST", the spelling of the service's environment names.
std::string envName(std::string_view name) {
  std::string out;
  for (char c : name) out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool isCallerName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool isSecretName(const std::string& name) {
  if (name.empty() || !(name[0] >= 'A' && name[0] <= 'Z')) return false;
  for (char c : name)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

void requireHttpUrl(const YamlConfigNode& node, std::string_view key, const std::string& url) {
  if (!isAbsoluteHttpUrl(url))
    node.fail(key, "expected an absolute http:// or https:// URL, got \"" + url + "\"");
}

void readServices(const YamlConfigNode& root, LoadContext& context, std::vector<std::string>& unset) {
  AppConfig& config = context.config;
  auto block = root.childNode("services");
  if (block) block->allowOnly(kServices);
  for (std::string_view name : kServices) {
    auto node = block ? block->childNode(name) : std::nullopt;
    std::string path = "services." + std::string(name);
    if (!node) {
      unset.push_back(path);
      continue;
    }
    node->allowOnly({"url", "apiKey"});
    auto url = node->getString("url");
    auto apiKey = node->getString("apiKey");
    if (apiKey) config.secrets["SERVICE_API_KEY_" + envName(name)] = *apiKey;
    if (!url) {
      unset.push_back(path);
      continue;
    }
    std::string trimmed = *url;
    while (!trimmed.empty() && trimmed.back() == '/') trimmed.pop_back();
    requireHttpUrl(*node, "url", *url);
    if (!apiKey)
      context.warn(*node, "apiKey", "not set; calls to the " + std::string(name) +
                                        " service will carry no X-Service-API-Key (SERVICE_API_KEY_" +
                                        envName(name) + ")");
    config.services[std::string(name)] = ServiceTarget{std::string(name), trimmed, apiKey.value_or("")};
  }
}

// HTTP drops spaces and tabs around a header value and cannot carry control characters, so such a
// key could never be presented: a typo in the environment, better found at start-up.
bool presentable(const std::string& key) {
  if (key.front() == ' ' || key.front() == '\t' || key.back() == ' ' || key.back() == '\t') return false;
  return std::none_of(key.begin(), key.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

// The policy for keys others present (InitContext::inboundCaller checks them): a key that could
// never be presented, or that two callers share, always stops start-up; in prod so does a listed
// caller without a key, or a key shorter than kMinimumSecretLength. Messages never hold a key.
void checkInboundKeys(const YamlConfigNode& block, LoadContext& context, const std::string& caller,
                      const std::vector<std::string>& keys) {
  const std::string variable = "SERVICE_API_KEY_" + envName(caller);
  if (keys.empty()) {
    const std::string problem = "caller " + caller + " has no key (set " + variable + ")";
    // Elsewhere the "not configured" line names it already.
    if (context.prod()) block.fail(caller, problem + "; environment prod needs one");
    return;
  }
  for (const std::string& key : keys) {
    if (!presentable(key))
      block.fail(caller, "a key has surrounding whitespace or control characters, which no HTTP header can carry");
    for (const InboundKey& other : context.config.inboundKeys)
      if (other.key == key && other.caller != caller)
        block.fail(caller, "a key is also a key of caller " + other.caller + "; each caller needs its own keys");
    if (key.size() < kMinimumSecretLength) {
      const std::string problem = "a key is shorter than " + std::to_string(kMinimumSecretLength) + " characters";
      if (context.prod())
        block.fail(caller, problem + "; environment prod needs random keys of at least " +
                               std::to_string(kMinimumSecretLength) + " characters (openssl rand -hex 32)");
      context.warn(block, caller, problem + " (fatal in environment prod)");
    }
  }
}

void readInboundKeys(const YamlConfigNode& root, LoadContext& context, std::vector<std::string>& unset) {
  AppConfig& config = context.config;
  auto block = root.childNode("inboundKeys");
  std::vector<std::string> seen;
  if (block) {
    for (const std::string& caller : block->keys()) {
      if (!isCallerName(caller))
        block->fail(caller, "caller names are lower-case letters, digits and '-' (like \"web-ingest\")");
      // One key, or a list of keys so a rotation can accept the old and the new one for a while.
      std::vector<std::string> keys;
      const YamlValue* value = block->value(caller);
      if (value->kind == YamlValue::Kind::Sequence) {
        for (std::string& key : block->getStringList(caller).value_or(std::vector<std::string>{}))
          if (!key.empty()) keys.push_back(std::move(key));  // ${VAR:-} left unset
      } else if (auto key = block->getString(caller)) {
        if (!key->empty()) keys.push_back(*key);
      }
      checkInboundKeys(*block, context, caller, keys);
      if (keys.empty()) continue;
      seen.push_back(caller);
      for (const auto& key : keys) config.inboundKeys.push_back({caller, key});
      config.secrets["SERVICE_API_KEY_" + envName(caller)] = keys.front();
    }
  }
  for (std::string_view caller : kKnownCallers)
    if (std::find(seen.begin(), seen.end(), caller) == seen.end()) unset.push_back("inboundKeys." + std::string(caller));
}

void readUrls(const YamlConfigNode& root, LoadContext& context) {
  auto block = root.childNode("urls");
  if (!block) return;
  block->allowOnly(kUrls);
  for (std::string_view name : kUrls) {
    auto url = block->getString(name);
    if (!url) continue;
    requireHttpUrl(*block, name, *url);
    context.config.urls[std::string(name)] = *url;
  }
}

void readSocialProviders(const YamlConfigNode& root, LoadContext& context, std::vector<std::string>& unset) {
  AppConfig& config = context.config;
  auto block = root.childNode("socialProviders");
  if (block) block->allowOnly(kSocialProviders);
  for (std::string_view provider : kSocialProviders) {
    auto node = block ? block->childNode(provider) : std::nullopt;
    std::string path = "socialProviders." + std::string(provider);
    if (!node) {
      unset.push_back(path);
      continue;
    }
    node->allowOnly({"clientId", "clientSecret", "redirectURI"});
    SocialProviderConfig settings;
    settings.clientId = node->getString("clientId", "");
    settings.clientSecret = node->getString("clientSecret", "");
    settings.redirectURI = node->getString("redirectURI", "");
    if (!settings.redirectURI.empty()) requireHttpUrl(*node, "redirectURI", settings.redirectURI);
    std::string prefix = envName(provider);
    if (!settings.clientId.empty()) config.secrets[prefix + "_CLIENT_ID"] = settings.clientId;
    if (!settings.clientSecret.empty()) config.secrets[prefix + "_CLIENT_SECRET"] = settings.clientSecret;
    if (settings.clientId.empty() && settings.clientSecret.empty()) {
      unset.push_back(path);
      continue;
    }
    if (settings.clientId.empty() || settings.clientSecret.empty()) {
      std::string missing = settings.clientId.empty() ? "clientId" : "clientSecret";
      context.warn(*node, missing,
                   "not set (" + prefix + (settings.clientId.empty() ? "_CLIENT_ID" : "_CLIENT_SECRET") +
                       "); sign-in with " + std::string(provider) + " stays off");
      continue;
    }
    config.socialProviders[std::string(provider)] = settings;
  }
}

// Extra named secrets for plugins (InitContext::secret), beside the ones other settings provide.
void readSecretsBlock(const YamlConfigNode& root, LoadContext& context) {
  auto block = root.childNode("secrets");
  if (!block) return;
  for (const std::string& name : block->keys()) {
    if (!isSecretName(name))
      block->fail(name, "secret names are written like environment variables (UPPER_SNAKE_CASE)");
    auto value = block->getString(name);
    if (!value) continue;
    if (context.config.secrets.count(name))
      block->fail(name, "is already given by another setting (secret:, services:, inboundKeys: or socialProviders:)");
    context.config.secrets[name] = *value;
  }
}

void addOrigin(std::vector<std::string>& origins, std::string origin) {
  while (origin.size() > 1 && origin.back() == '/' && origin.find("://") + 3 < origin.size()) origin.pop_back();
  if (std::find(origins.begin(), origins.end(), origin) == origins.end()) origins.push_back(std::move(origin));
}

void readTrustedOrigins(const YamlConfigNode& root, LoadContext& context) {
  AppConfig& config = context.config;
  if (auto origins = root.getStringList("trustedOrigins")) {
    for (const auto& origin : *origins) {
      if (!isOriginPattern(origin))
        root.fail("trustedOrigins",
                  "expected origins such as https://app.example.com (comma-separated in TRUSTED_ORIGINS), got \"" +
                      origin + "\"");
      addOrigin(config.trustedOrigins, origin);
    }
  }
  // The auth client and the dashboard send users here from their own origins.
  for (std::string_view name : kUrls) {
    auto url = config.urls.find(std::string(name));
    if (url == config.urls.end()) continue;
    if (auto origin = originOf(url->second)) addOrigin(config.trustedOrigins, *origin);
  }
}

}  // namespace

void readIntegrations(const YamlConfigNode& root, LoadContext& context) {
  std::vector<std::string> unset;
  readServices(root, context, unset);
  readInboundKeys(root, context, unset);
  readUrls(root, context);
  readSocialProviders(root, context, unset);
  readSecretsBlock(root, context);
  readTrustedOrigins(root, context);
  if (!unset.empty()) {
    std::string list;
    for (const auto& item : unset) list += (list.empty() ? "" : ", ") + item;
    context.config.warnings.push_back(context.config.sourceFile +
                                      ": not configured (a feature that needs one reports it when enabled): " +
                                      list);
  }
}

}  // namespace crow::host::sections
