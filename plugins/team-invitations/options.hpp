// options.hpp - the team-invitations plugin's `config:` block (README.md lists every key).
#pragma once

#include <crow/config.hpp>
#include <crow/context.hpp>

#include <cstdint>
#include <string>

namespace team_invitations {

struct Options {
  /// Seconds between two emails for one invitation (invite counts as the first).
  int64_t resendIntervalS = 60;
  /// Lifetime of a new or resent invitation; keep it equal to organization's invitationExpiresIn.
  int64_t invitationExpiresInS = 172800;
  /// The email's link is `<linkBase>/<invitationId>`; `<baseURL>/accept-invitation` by default.
  std::string linkBase;
  /// Most emails in one invite request.
  int64_t maxEmailsPerRequest = 50;

  static Options read(const crow::ConfigNode& config, const crow::Settings& settings);
};

}  // namespace team_invitations
