// POST /request-password-reset, GET /reset-password/:token, POST /reset-password (CONTRACT.md §1.7).
#include "auth/auth_core.hpp"
#include "auth/error_codes.hpp"
#include "auth/validation.hpp"
#include "crypto/random.hpp"

#include "crow/error.hpp"

namespace crow::host {

namespace {

using namespace auth_errors;

constexpr std::string_view kResetAnswer =
    R"({"status":true,"message":"If this email exists in our system, check your email for the reset link"})";
constexpr size_t kResetTokenLength = 24;

std::string identifierFor(const std::string& token) { return "reset-password:" + token; }

void requestPasswordReset(AuthCore& core, crow::Request& request, crow::Response& response) {
  BodyValidator v(request.json());
  auto email = v.requiredEmail("email");
  auto redirectTo = v.optionalString("redirectTo");
  v.throwIfInvalid();
  if (!core.emailEnabled) throw crow::ApiError(400, kResetPasswordDisabled);
  // (redirectTo was checked against the trusted origins by the router-wide origin check.)
  auto user = core.findUserByEmail(*core.store, *email);
  if (user) {
    const std::string token = randomId(kResetTokenLength);
    const crow::Timestamp now = core.clock->now();
    core.store->transaction([&](crow::Store& tx) {
      tx.create("verification",
                crow::Row{{"id", randomId(32)},
                          {"identifier", identifierFor(token)},
                          {"value", crow::asString((*user)["id"]).value_or("")},
                          {"expiresAt", crow::Timestamp{now.epochMs +
                                                        core.options.emailAndPassword.resetPasswordTokenExpiresInS * 1000}},
                          {"createdAt", now},
                          {"updatedAt", now}});
      // In the same transaction: the link exists exactly when the email will be sent.
      core.enqueuePasswordResetEmail(tx, *user, token, redirectTo.value_or(""));
    });
  }
  // The same answer whether or not the email exists: no enumeration.
  sendJson(response, std::string(kResetAnswer));
}

// The link in the email: checks the token and sends the browser on to the app's reset page.
void resetPasswordCallback(AuthCore& core, crow::Request& request, crow::Response& response) {
  const std::optional<std::string> callbackURL = request.query("callbackURL");
  requireTrustedCallback(callbackURL, *core.origins);
  const std::string token = request.params["token"];
  auto errorRedirect = [&] {
    const std::string target = callbackURL && !callbackURL->empty() ? core.absoluteRedirect(*callbackURL)
                                                                    : core.authBaseURL + "/error";
    sendRedirect(response, appendQueryParam(target, "error", "INVALID_TOKEN"));
  };
  if (token.empty() || !callbackURL || callbackURL->empty()) return errorRedirect();
  auto row = core.store->findOne("verification", {crow::eq("identifier", identifierFor(token))});
  const auto expiresAt = row ? crow::asTimestamp((*row)["expiresAt"]) : std::nullopt;
  if (!expiresAt || *expiresAt < core.clock->now()) return errorRedirect();
  sendRedirect(response, appendQueryParam(core.absoluteRedirect(*callbackURL), "token", token));
}

void resetPassword(AuthCore& core, crow::Request& request, crow::Response& response) {
  BodyValidator v(request.json());
  auto newPassword = v.requiredString("newPassword");
  auto bodyToken = v.optionalString("token");
  v.throwIfInvalid();
  std::string token = bodyToken.value_or("");
  if (token.empty()) token = request.query("token").value_or("");
  if (token.empty()) throw crow::ApiError(400, kInvalidToken);
  core.checkNewPasswordLength(*newPassword);

  auto row = core.store->findOne("verification", {crow::eq("identifier", identifierFor(token))});
  if (!row) throw crow::ApiError(400, kInvalidToken);
  // Consumed by the delete itself: of two concurrent requests with one token, one deletes the row.
  const auto id = crow::asString((*row)["id"]).value_or("");
  if (core.store->remove("verification", {crow::eq("id", id)}) != 1) throw crow::ApiError(400, kInvalidToken);
  const auto expiresAt = crow::asTimestamp((*row)["expiresAt"]);
  if (!expiresAt || *expiresAt < core.clock->now()) throw crow::ApiError(400, kInvalidToken);

  const std::string userId = crow::asString((*row)["value"]).value_or("");
  auto user = core.findUserById(*core.store, userId);
  if (!user) throw crow::ApiError(400, kUserNotFound);
  const std::string hash = core.hashPassword(*newPassword);
  const crow::Timestamp now = core.clock->now();
  if (auto account = core.findCredentialAccount(*core.store, userId)) {
    core.store->update("account", {crow::eq("id", crow::asString((*account)["id"]).value_or(""))},
                       crow::Row{{"password", hash}, {"updatedAt", now}});
  } else {
    core.store->create("account", crow::Row{{"id", randomId(32)},
                                            {"accountId", userId},
                                            {"providerId", std::string("credential")},
                                            {"userId", userId},
                                            {"password", hash},
                                            {"createdAt", now},
                                            {"updatedAt", now}});
  }
  if (core.options.emailAndPassword.revokeSessionsOnPasswordReset) core.sessions->revokeAllForUser(userId);
  sendJson(response, R"({"status":true})");
}

}  // namespace

void registerPasswordResetRoutes(crow::InitContext& context, AuthCore& core) {
  context.route(crow::Method::Post, "/request-password-reset",
                [&core](crow::Request& rq, crow::Response& rs) { requestPasswordReset(core, rq, rs); },
                {true, "email a password reset link"});
  context.route(crow::Method::Get, "/reset-password/:token",
                [&core](crow::Request& rq, crow::Response& rs) { resetPasswordCallback(core, rq, rs); },
                {true, "follow a reset link to the app"});
  context.route(crow::Method::Post, "/reset-password",
                [&core](crow::Request& rq, crow::Response& rs) { resetPassword(core, rq, rs); },
                {true, "set a new password with a reset token"});
}

}  // namespace crow::host
