#include "options.hpp"

#include "roles.hpp"

namespace organization {

namespace {

int64_t boundedInt(const crow::ConfigNode& config, std::string_view key, int64_t fallback, int64_t min, int64_t max) {
  const int64_t value = config.getInt(key, fallback);
  if (value < min || value > max)
    config.fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return value;
}

std::string servicePath(const crow::ConfigNode& config, std::string_view key, std::string fallback) {
  std::string path = config.getString(key, std::move(fallback));
  if (path.empty() || path[0] != '/') config.fail(key, "must start with '/'");
  for (char c : path)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) config.fail(key, "must not hold spaces or control characters");
  return path;
}

}  // namespace

Options Options::read(const crow::ConfigNode& config) {
  config.allowOnly({"allowUserToCreateOrganization", "organizationLimit", "creatorRole", "membershipLimit",
                    "invitationLimit", "invitationExpiresIn", "cancelPendingInvitationsOnReInvite",
                    "requireEmailVerificationOnInvitation", "invitationLinkBase", "sync"});
  Options o;
  o.allowUserToCreateOrganization = config.getBool("allowUserToCreateOrganization", o.allowUserToCreateOrganization);
  if (config.has("organizationLimit"))
    o.organizationLimit = boundedInt(config, "organizationLimit", 0, 0, 1'000'000);
  o.creatorRole = config.getString("creatorRole", o.creatorRole);
  if (!findRole(o.creatorRole)) config.fail("creatorRole", "must be one of owner, admin, member");
  o.membershipLimit = boundedInt(config, "membershipLimit", o.membershipLimit, 1, 1'000'000);
  o.invitationLimit = boundedInt(config, "invitationLimit", o.invitationLimit, 0, 1'000'000);
  o.invitationExpiresInS = boundedInt(config, "invitationExpiresIn", o.invitationExpiresInS, 1, 365LL * 86400);
  o.cancelPendingInvitationsOnReInvite =
      config.getBool("cancelPendingInvitationsOnReInvite", o.cancelPendingInvitationsOnReInvite);
  o.requireEmailVerificationOnInvitation =
      config.getBool("requireEmailVerificationOnInvitation", o.requireEmailVerificationOnInvitation);
  o.invitationLinkBase = config.getString("invitationLinkBase", "");
  while (!o.invitationLinkBase.empty() && o.invitationLinkBase.back() == '/') o.invitationLinkBase.pop_back();
  if (!o.invitationLinkBase.empty() && !o.invitationLinkBase.starts_with("http://") &&
      !o.invitationLinkBase.starts_with("https://"))
    config.fail("invitationLinkBase", "must be an http:// or https:// URL");
  if (auto sync = config.child("sync")) {
    sync->allowOnly({"enabled", "organizationServicePath", "userServicePath"});
    o.sync.enabled = sync->getBool("enabled", o.sync.enabled);
    o.sync.organizationServicePath = servicePath(*sync, "organizationServicePath", o.sync.organizationServicePath);
    o.sync.userServicePath = servicePath(*sync, "userServicePath", o.sync.userServicePath);
  }
  return o;
}

}  // namespace organization
