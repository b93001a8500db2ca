// plugin.cpp - the organization plugin: Better Auth 1.7's organization() over crow-auth's SDK.
#include "routes.hpp"
#include "service.hpp"

#include <crow/plugin.hpp>

#include <memory>

namespace organization {

class OrganizationPlugin final : public crow::Plugin {
 public:
  // Exactly Better Auth's tables (CONTRACT.md §12) so its database opens in place. The core
  // declares session.activeOrganizationId already.
  void declareSchema(crow::SchemaBuilder& schema) override {
    using crow::FieldType;
    schema.table(kOrganizationTable)
        .field("id", FieldType::Id).primaryKey()
        .field("name", FieldType::String).required()
        .field("slug", FieldType::String).required().unique().maxLength(191)
        .field("logo", FieldType::String)
        .field("createdAt", FieldType::Timestamp).required()
        .field("metadata", FieldType::String);
    schema.table(kMemberTable)
        .field("id", FieldType::Id).primaryKey()
        .field("organizationId", FieldType::Id).required().references(kOrganizationTable, "id", crow::OnDelete::Cascade).index()
        .field("userId", FieldType::Id).required().references("user", "id", crow::OnDelete::Cascade).index()
        .field("role", FieldType::String).required()
        .field("createdAt", FieldType::Timestamp).required();
    schema.table(kInvitationTable)
        .field("id", FieldType::Id).primaryKey()
        .field("organizationId", FieldType::Id).required().references(kOrganizationTable, "id", crow::OnDelete::Cascade).index()
        .field("email", FieldType::String).required().index().maxLength(191)
        .field("role", FieldType::String)
        .field("status", FieldType::String).required()
        .field("expiresAt", FieldType::Timestamp).required()
        .field("createdAt", FieldType::Timestamp).required()
        .field("inviterId", FieldType::Id).required().references("user", "id", crow::OnDelete::Cascade);
  }

  void init(crow::InitContext& context) override {
    Options options = Options::read(context.config());
    const bool toOrganization = context.service("organization").has_value();
    const bool toUser = context.service("user").has_value();
    Sync sync(context.outbox(), context.clock(), options.sync, toOrganization, toUser);
    service_ = std::make_unique<Service>(Service{context.store(), context.clock(), context.sessions(), context.outbox(),
                                                 options, context.settings(), std::move(sync),
                                                 context.service("notification").has_value(),
                                                 [&context](std::string_view key) { return context.inboundCaller(key); }});
    registerOrganizationRoutes(context, *service_);
    registerMemberRoutes(context, *service_);
    registerInvitationRoutes(context, *service_);
    context.logger().info("organization plugin ready",
                          {{"syncToOrganizationService", options.sync.enabled && toOrganization ? "on" : "off"},
                           {"syncToUserService", options.sync.enabled && toUser ? "on" : "off"},
                           {"invitationEmails", service_->notificationConfigured ? "on" : "off"}});
  }

 private:
  std::unique_ptr<Service> service_;
};

}  // namespace organization

CROW_PLUGIN(organization::OrganizationPlugin, organization::kPluginId, organization::kPluginVersion)
