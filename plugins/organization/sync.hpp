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

  /// An event whose JSON is already made: prepare it before the transaction, write it inside,
  /// so the database's writer is not held while JSON is built (organization create is hot).
  struct Prepared {
    std::string organizationId;
    std::string type;
    std::string eventId;
    std::string json;  ///< empty: nothing to send (sync off, or no service configured)
  };
  Prepared prepareOrganizationCreated(const crow::Row& organization, const crow::Row& member, const crow::Row& user) const;
  void write(crow::Store& tx, const Prepared& event);

  void organizationCreated(crow::Store& tx, const crow::Row& organization, const crow::Row& member,
                           const crow::Row& user);
  void organizationUpdated(crow::Store& tx, const crow::Row& organization);
  void organizationDeleted(crow::Store& tx, const crow::Row& organization);
  void memberAdded(crow::Store& tx, const crow::Row& member, const crow::Row& user);
  void memberRoleUpdated(crow::Store& tx, const crow::Row& member, const std::string& previousRole);
  /// `reason`: "removed" (remove-member) or "left" (leave).
  void memberRemoved(crow::Store& tx, const crow::Row& member, const std::string& reason);

 private:
  Prepared prepare(const std::string& organizationId, const std::string& type, Poco::JSON::Object::Ptr payload) const;
  void send(crow::Store& tx, const std::string& organizationId, const std::string& type,
            Poco::JSON::Object::Ptr payload);

  crow::Outbox& outbox_;
  const crow::Clock& clock_;
  SyncOptions options_;
  bool toOrganizationService_;
  bool toUserService_;
};

}  // namespace organization
