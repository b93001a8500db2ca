// POST /send-verification-email and GET /verify-email (CONTRACT.md §1.8).
#include "auth/auth_core.hpp"
#include "auth/email_token.hpp"
#include "auth/error_codes.hpp"
#include "auth/validation.hpp"

#include "crow/error.hpp"

#include <chrono>
#include <thread>

namespace crow::host {

namespace {

using namespace auth_errors;

// Better Auth pads the unauthenticated answer to at least this long, so it does not tell a known
// unverified address (an email is written) from an unknown or verified one.
constexpr std::chrono::milliseconds kUnauthenticatedFloor{500};

void sendVerificationEmail(AuthCore& core, crow::Request& request, crow::Response& response) {
  BodyValidator v(request.json());
  auto email = v.requiredEmail("email");
  auto callbackURL = v.optionalString("callbackURL");
  v.throwIfInvalid();
  if (!core.emailEnabled) throw crow::ApiError(400, kVerificationEmailNotEnabled);

  SessionLookup lookup = core.sessions->resolve(request);
  if (!lookup.found) {
    const auto start = std::chrono::steady_clock::now();
    std::exception_ptr failure;
    try {
      auto user = core.findUserByEmail(*core.store, *email);
      if (user && !crow::asBool((*user)["emailVerified"]).value_or(false))
        core.enqueueVerificationEmail(*core.store, *user, callbackURL.value_or(""));
    } catch (...) {
      failure = std::current_exception();
    }
    // The request API is synchronous, so the padding holds this worker thread; the route's rate
    // limit (3 per minute and address) bounds how many can wait at once.
    std::this_thread::sleep_until(start + kUnauthenticatedFloor);
    if (failure) std::rethrow_exception(failure);
    return sendJson(response, R"({"status":true})");
  }
  const crow::Row& user = lookup.found->user;
  if (lowerAscii(crow::asString(crow::field(user, "email")).value_or("")) != lowerAscii(*email))
    throw crow::ApiError(400, kEmailMismatch);
  if (crow::asBool(crow::field(user, "emailVerified")).value_or(false)) throw crow::ApiError(400, kEmailAlreadyVerified);
  core.enqueueVerificationEmail(*core.store, user, callbackURL.value_or(""));
  sendJson(response, R"({"status":true})");
}

void verifyEmail(AuthCore& core, crow::Request& request, crow::Response& response) {
  const std::optional<std::string> token = request.query("token");
  if (!token) throw crow::ApiError(400, "VALIDATION_ERROR", "[query.token] Invalid input: expected string, received undefined");
  const std::optional<std::string> callbackURL = request.query("callbackURL");
  requireTrustedCallback(callbackURL, *core.origins);
  const bool redirects = callbackURL && !callbackURL->empty();

  // With a callbackURL the browser goes back to the app with ?error=CODE; without, a 401.
  auto fail = [&](const crow::ErrorCode& code) {
    if (redirects) return sendRedirect(response, appendQueryParam(*callbackURL, "error", code.code));
    throw crow::ApiError(401, code);
  };

  const EmailTokenCheck check = verifyEmailVerificationToken(core.secret, *token, core.clock->now());
  if (check.status == EmailTokenCheck::Status::Expired) return fail(kTokenExpired);
  // Change-email tokens (updateTo) belong to /change-email, which the core does not serve.
  if (check.status != EmailTokenCheck::Status::Valid || check.hasUpdateTo) return fail(kInvalidToken);
  auto user = core.findUserByEmail(*core.store, check.email);
  if (!user) return fail(kUserNotFound);

  if (!crow::asBool((*user)["emailVerified"]).value_or(false)) {
    const std::string userId = crow::asString((*user)["id"]).value_or("");
    core.store->update("user", {crow::eq("id", userId)},
                       crow::Row{{"emailVerified", true}, {"updatedAt", core.clock->now()}});
    if (core.options.emailVerification.autoSignInAfterVerification) {
      SessionLookup current = core.sessions->resolve(request);
      const bool sameUser = current.found && lowerAscii(crow::asString(current.found->user["email"]).value_or("")) ==
                                                 lowerAscii(check.email);
      if (!sameUser) {
        crow::Row session = core.sessions->create(userId, request, true);
        core.sessions->setSessionCookie(response, crow::asString(session["token"]).value_or(""), current.dontRemember);
      } else {
        core.sessions->setSessionCookie(response, crow::asString(current.found->session["token"]).value_or(""),
                                        current.dontRemember);
      }
    }
  }
  if (redirects) return sendRedirect(response, *callbackURL);
  sendJson(response, R"({"status":true,"user":null})");
}

}  // namespace

void registerEmailVerificationRoutes(crow::InitContext& context, AuthCore& core) {
  context.route(crow::Method::Post, "/send-verification-email",
                [&core](crow::Request& rq, crow::Response& rs) { sendVerificationEmail(core, rq, rs); },
                {true, "email a verification link"});
  context.route(crow::Method::Get, "/verify-email",
                [&core](crow::Request& rq, crow::Response& rs) { verifyEmail(core, rq, rs); },
                {true, "confirm an email address from its link"});
}

}  // namespace crow::host
