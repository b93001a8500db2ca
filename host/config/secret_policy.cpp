// `secret:` (BETTER_AUTH_SECRET) and the rule that prod never runs on a weak or default secret.
// The value itself never appears in a message.
#include "config/config_sections.hpp"

namespace crow::host::sections {

namespace {
constexpr const char* kHowToMake = "generate one with: openssl rand -base64 32";
}

void readSecret(const YamlConfigNode& root, LoadContext& context) {
  AppConfig& config = context.config;
  auto secret = root.getString("secret");
  std::string problem;
  if (!secret) {
    problem = "BETTER_AUTH_SECRET is not set";
  } else if (*secret == kDevelopmentSecret) {
    problem = "is Better Auth's development default";
  } else if (secret->size() < kMinimumSecretLength) {
    problem = "is shorter than " + std::to_string(kMinimumSecretLength) + " characters";
  }

  if (!problem.empty() && context.prod())
    root.fail("secret", problem + "; environment prod needs a random secret of at least " +
                            std::to_string(kMinimumSecretLength) + " characters (" + kHowToMake + ")");
  if (!secret) {
    config.secret = std::string(kDevelopmentSecret);
    context.warn(root, "secret", problem + "; using Better Auth's development default (fatal in environment prod)");
  } else {
    config.secret = *secret;
    if (!problem.empty()) context.warn(root, "secret", problem + " (fatal in environment prod)");
  }
  config.secrets["BETTER_AUTH_SECRET"] = config.secret;
}

}  // namespace crow::host::sections
