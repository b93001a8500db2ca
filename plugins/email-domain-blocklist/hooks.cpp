// hooks.cpp - the plugin's data hooks. They sit on the `user` table in the data layer, not on
// routes, so every writer is covered: sign-up, a future change-email or OAuth sign-up, another
// plugin. A rejection rolls back the write it belongs to (the user row is never created).
#include "blocklist.hpp"
#include "error_codes.hpp"

#include <crow/error.hpp>
#include <crow/hooks.hpp>

namespace email_domain_blocklist {

void enforcePolicy(const DomainPolicy& policy, const crow::Row& row) {
  const auto email = row.find("email");
  if (email == row.end() || crow::isNull(email->second)) return;
  const std::string* text = std::get_if<std::string>(&email->second);
  if (text == nullptr) throw crow::ApiError(400, errors::EMAIL_DOMAIN_NOT_ALLOWED);
  const Verdict verdict = policy.check(*text);
  if (verdict.allowed) return;
  // A domain that could not be normalised is not echoed: it may hold anything.
  if (verdict.domain.empty()) throw crow::ApiError(400, errors::EMAIL_DOMAIN_NOT_ALLOWED);
  throw crow::ApiError(400, std::string(errors::EMAIL_DOMAIN_NOT_ALLOWED.code),
                       errors::domainNotAllowedMessage(verdict.domain));
}

void registerHooks(const DataHookRegistrar& onData, crow::Logger& logger, std::shared_ptr<const DomainPolicy> policy) {
  // Logs the domain only: the local part of an address is personal data.
  auto guard = [policy, &logger](const crow::Row& row) {
    try {
      enforcePolicy(*policy, row);
    } catch (const crow::ApiError& refusal) {
      logger.info("refused email domain", {{"reason", refusal.message()}});
      throw;
    }
  };
  onData(crow::HookPoint::CreateBefore, "user", [guard](crow::DataChange& change) { guard(change.row); }, kHookPriority);
  // Only patches that set the email: a name or emailVerified change has nothing to check.
  onData(
      crow::HookPoint::UpdateBefore, "user",
      [guard](crow::DataChange& change) {
        if (change.row.count("email")) guard(change.row);
      },
      kHookPriority);
}

}  // namespace email_domain_blocklist
