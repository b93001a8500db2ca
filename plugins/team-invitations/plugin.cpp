// plugin.cpp - team-invitations: bulk invitations into the active organization, on the
// organization plugin's tables; joining goes through organization/accept-invitation.
#include "routes.hpp"

#include <crow/plugin.hpp>

#include <memory>

namespace team_invitations {

class TeamInvitationsPlugin final : public crow::Plugin {
 public:
  // The invitation table has no column for "last emailed", so the resend limit keeps it here,
  // keyed by the invitation id (removed with the invitation).
  void declareSchema(crow::SchemaBuilder& schema) override {
    using crow::FieldType;
    schema.table(kSendTable)
        .field("id", FieldType::Id).primaryKey().references(kInvitationTable, "id", crow::OnDelete::Cascade)
        .field("lastSentAt", FieldType::Timestamp).required();
  }

  void init(crow::InitContext& context) override {
    Options options = Options::read(context.config(), context.settings());
    service_ = std::make_unique<Service>(Service{context.store(), context.clock(), context.sessions(), context.outbox(),
                                                 options, context.service("notification").has_value()});
    registerRoutes(context, *service_);
    context.logger().info("team-invitations plugin ready",
                          {{"invitationEmails", service_->notificationConfigured ? "on" : "off"},
                           {"resendInterval", std::to_string(options.resendIntervalS)}});
  }

 private:
  std::unique_ptr<Service> service_;
};

}  // namespace team_invitations

CROW_PLUGIN(team_invitations::TeamInvitationsPlugin, team_invitations::kPluginId, team_invitations::kPluginVersion,
            "organization")
