// organization_access.cpp - organization-owned keys: the owning organization is the key's
// metadata.organizationId; the member table (declared by the organization plugin) says who may
// manage them, by the roles of `organizationRoles`.
#include "error_codes.hpp"
#include "record_json.hpp"
#include "service.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <openssl/rand.h>

#include <stdexcept>

namespace apikey {

std::string newId() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  // 248 = 4 * 62: bytes at or above it are redrawn so every character is uniform.
  std::string id;
  id.reserve(32);
  unsigned char pool[64];
  while (id.size() < 32) {
    if (RAND_bytes(pool, sizeof pool) != 1) throw std::runtime_error("the random generator failed");
    for (unsigned char b : pool)
      if (b < 248 && id.size() < 32) id += kAlphabet[b % 62];
  }
  return id;
}

std::optional<std::string> organizationOf(const crow::Row& key) {
  auto json = storedObjectJson(crow::field(key, "metadata"));
  if (!json || json->find("\"organizationId\"") == std::string::npos) return std::nullopt;
  try {
    auto object = Poco::JSON::Parser().parse(*json).extract<Poco::JSON::Object::Ptr>();
    if (!object->has("organizationId")) return std::nullopt;
    const Poco::Dynamic::Var v = object->get("organizationId");
    if (!v.isString()) return std::nullopt;
    return v.extract<std::string>();
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

namespace {

bool roleAllows(const Options& options, std::string_view stored, const std::string& action) {
  // Better Auth stores several roles comma-separated ("member,admin").
  size_t begin = 0;
  while (begin <= stored.size()) {
    size_t end = stored.find(',', begin);
    if (end == std::string_view::npos) end = stored.size();
    std::string_view role = stored.substr(begin, end - begin);
    while (!role.empty() && role.front() == ' ') role.remove_prefix(1);
    while (!role.empty() && role.back() == ' ') role.remove_suffix(1);
    auto it = options.organizationRoles.find(std::string(role));
    if (it != options.organizationRoles.end() && it->second.count(action)) return true;
    begin = end + 1;
  }
  return false;
}

}  // namespace

void requireOrganizationAccess(const Service& service, const std::string& userId, const std::string& organizationId,
                               const std::string& action) {
  if (!service.organizationsAvailable) throw crow::ApiError(400, errors::kOrganizationPluginRequired);
  auto member = service.store.findOne("member", {crow::eq("organizationId", organizationId), crow::eq("userId", userId)});
  if (!member) throw crow::ApiError(403, errors::kUserNotMemberOfOrganization);
  const std::string role = crow::asString(crow::field(*member, "role")).value_or("");
  if (!roleAllows(service.options, role, action)) throw crow::ApiError(403, errors::kInsufficientApiKeyPermissions);
}

}  // namespace apikey
