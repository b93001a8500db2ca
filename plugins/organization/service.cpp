#include "service.hpp"

#include "error_codes.hpp"
#include "input.hpp"
#include "roles.hpp"
#include "shapes.hpp"

#include <crow/error.hpp>

#include <map>
#include <random>

namespace organization {

std::string newId() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::random_device random;
  std::uniform_int_distribution<size_t> pick(0, sizeof(kAlphabet) - 2);
  std::string id(32, '\0');
  for (char& c : id) c = kAlphabet[pick(random)];
  return id;
}

crow::CurrentSession Service::requireSession(const crow::Request& request) const { return sessions.require(request); }

std::string Service::text(const crow::Row& row, const std::string& name) {
  return crow::asString(crow::field(row, name)).value_or("");
}

std::optional<std::string> Service::activeOrganizationId(const crow::CurrentSession& session) {
  auto id = crow::asString(crow::field(session.session, "activeOrganizationId"));
  if (!id || id->empty()) return std::nullopt;
  return id;
}

std::optional<crow::Row> Service::findMember(crow::Store& s, const std::string& organizationId,
                                             const std::string& userId) const {
  return s.findOne(kMemberTable, {crow::eq("organizationId", organizationId), crow::eq("userId", userId)});
}

std::optional<crow::Row> Service::findOrganization(crow::Store& s, const std::string& id) const {
  return s.findOne(kOrganizationTable, {crow::eq("id", id)});
}

std::optional<crow::Row> Service::findOrganizationBySlug(crow::Store& s, const std::string& slug) const {
  return s.findOne(kOrganizationTable, {crow::eq("slug", slug)});
}

std::optional<crow::Row> Service::findUser(crow::Store& s, const std::string& id) const {
  return s.findOne("user", {crow::eq("id", id)});
}

int64_t Service::countOwners(crow::Store& s, const std::string& organizationId) const {
  crow::FindOptions find;
  find.where = {crow::eq("organizationId", organizationId),
                crow::Where{"role", crow::Op::Contains, options.creatorRole, {}, crow::Connector::And}};
  int64_t owners = 0;
  for (const auto& row : s.findMany(kMemberTable, find))
    if (hasRole(text(row, "role"), options.creatorRole)) ++owners;
  return owners;
}

void Service::setActiveOrganization(crow::Store& s, const crow::CurrentSession& session,
                                    const std::optional<std::string>& organizationId) const {
  crow::Row patch{{"updatedAt", clock.now()}};
  patch["activeOrganizationId"] = organizationId ? crow::Value(*organizationId) : crow::Value(std::monostate{});
  // updateMany: the same single-row write, without sending the row back (create's hot path).
  s.updateMany("session", {crow::eq("id", text(session.session, "id"))}, patch);
}

void Service::clearActiveOrganizationFor(crow::Store& s, const std::string& userId,
                                         const std::string& organizationId) const {
  s.updateMany("session", {crow::eq("userId", userId), crow::eq("activeOrganizationId", organizationId)},
               {{"activeOrganizationId", std::monostate{}}});
}

std::optional<std::string> Service::targetOrganization(const std::optional<std::string>& id,
                                                       const std::optional<std::string>& slug,
                                                       const crow::CurrentSession& session) const {
  if (id && !id->empty()) {
    input::checkLookup(*id, "organizationId");
    return id;
  }
  if (slug && !slug->empty()) {
    input::checkLookup(*slug, "organizationSlug");
    auto org = findOrganizationBySlug(store, *slug);
    if (!org) throw crow::ApiError(400, errors::kNotFound);
    return text(*org, "id");
  }
  return activeOrganizationId(session);
}

Poco::JSON::Array::Ptr Service::membersWithUsers(crow::Store& s, const std::vector<crow::Row>& members) const {
  std::vector<crow::Value> userIds;
  userIds.reserve(members.size());
  for (const auto& m : members) userIds.push_back(crow::field(m, "userId"));
  std::map<std::string, crow::Row> users;
  if (!userIds.empty()) {
    crow::FindOptions userFind;
    userFind.where = {crow::Where{"id", crow::Op::In, {}, userIds, crow::Connector::And}};
    for (auto& u : s.findMany("user", userFind)) users[text(u, "id")] = std::move(u);
  }
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array();
  for (const auto& m : members) {
    auto it = users.find(text(m, "userId"));
    if (it != users.end()) out->add(shapes::memberWithUser(m, it->second));
  }
  return out;
}

}  // namespace organization
