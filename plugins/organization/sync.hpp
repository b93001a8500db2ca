// sync.hpp - the events the organization and user services receive (README.md "Sync contract"),
// written to the outbox in the caller's transaction so they exist exactly when the change does.
#pragma once

#include "options.hpp"

#include <crow/context.hpp>
#include <crow/services.hpp>
#include <crow/store.hpp>

#include <string>

namespace organization {

class Sync {
 public:
  /// `toOrganizationService` / `toUserService`: whether that service is configured (a url in
  /// `services:`); events for an unconfigured service are not written.
  Sync(crow::Outbox& outbox, const crow::Clock& clock, SyncOptions options, bool toOrganizationService,
       bool toUserService);

  void organizationCreated(crow::Store& tx, const crow::Row& organization, const crow::Row& member,
                           const crow::Row& user);
  void organizationUpdated(crow::Store& tx, const crow::Row& organization);
  void organizationDeleted(crow::Store& tx, const crow::Row& organization);
  void memberAdded(crow::Store& tx, const crow::Row& member, const crow::Row& user);
  void memberRoleUpdated(crow::Store& tx, const crow::Row& member, const std::string& previousRole);
  /// `reason`: "removed" (remove-member) or "left" (leave).
  void memberRemoved(crow::Store& tx, const crow::Row& member, const std::string& reason);

 private:
  void send(crow::Store& tx, const std::string& organizationId, const std::string& type,
            Poco::JSON::Object::Ptr payload);

  crow::Outbox& outbox_;
  const crow::Clock& clock_;
  SyncOptions options_;
  bool toOrganizationService_;
  bool toUserService_;
};

}  // namespace organization
