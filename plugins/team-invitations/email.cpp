// email.cpp - the invitation email, in the organization plugin's envelope (its README,
// "Invitation email") so the notification service renders both the same way.
#include "service.hpp"
#include "shapes.hpp"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace team_invitations {

void Service::enqueueEmail(crow::Store& tx, const crow::Row& invitation, const Actor& actor) const {
  if (!notificationConfigured) return;
  namespace shapes = organization::shapes;
  const std::string id = text(invitation, "id");
  auto payload = shapes::newObject();
  payload->set("type", "organization-invitation");
  payload->set("to", text(invitation, "email"));
  payload->set("url", options.linkBase + "/" + id);
  payload->set("invitationId", id);
  payload->set("role", text(invitation, "role"));
  payload->set("expiresAt", shapes::value(invitation, "expiresAt"));
  auto org = shapes::newObject();
  org->set("id", shapes::value(actor.organization, "id"));
  org->set("name", shapes::value(actor.organization, "name"));
  org->set("slug", shapes::value(actor.organization, "slug"));
  payload->set("organization", org);
  auto from = shapes::newObject();
  from->set("id", shapes::value(actor.session.user, "id"));
  from->set("name", shapes::value(actor.session.user, "name"));
  from->set("email", shapes::value(actor.session.user, "email"));
  payload->set("inviter", from);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(payload, out);
  outbox.enqueue(tx, {"notification", "/v1/emails", id, "email.organization-invitation", out.str(), {}});
}

}  // namespace team_invitations
