#include "options.hpp"

namespace team_invitations {

namespace {

int64_t boundedInt(const crow::ConfigNode& config, std::string_view key, int64_t fallback, int64_t min, int64_t max) {
  const int64_t value = config.getInt(key).value_or(fallback);
  if (value < min || value > max)
    config.fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return value;
}

}  // namespace

Options Options::read(const crow::ConfigNode& config, const crow::Settings& settings) {
  config.allowOnly({"resendInterval", "invitationExpiresIn", "linkBase", "maxEmailsPerRequest"});
  Options o;
  o.resendIntervalS = boundedInt(config, "resendInterval", o.resendIntervalS, 1, 86400);
  o.invitationExpiresInS = boundedInt(config, "invitationExpiresIn", o.invitationExpiresInS, 1, 365LL * 86400);
  o.maxEmailsPerRequest = boundedInt(config, "maxEmailsPerRequest", o.maxEmailsPerRequest, 1, 50);
  o.linkBase = config.getString("linkBase").value_or(settings.baseURL + "/accept-invitation");
  while (!o.linkBase.empty() && o.linkBase.back() == '/') o.linkBase.pop_back();
  if (!o.linkBase.starts_with("http://") && !o.linkBase.starts_with("https://"))
    config.fail("linkBase", "must be an http:// or https:// URL");
  for (char c : o.linkBase)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) config.fail("linkBase", "must not hold spaces or control characters");
  return o;
}

}  // namespace team_invitations
