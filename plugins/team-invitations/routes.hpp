// routes.hpp - the four endpoints (paths below the host's base path).
#pragma once

#include "service.hpp"

namespace team_invitations {

/// /team-invitations/invite, list, resend, revoke.
void registerRoutes(crow::InitContext& context, const Service& service);

}  // namespace team_invitations
