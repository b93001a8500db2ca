// POST /update-user and POST /change-password (CONTRACT.md §1.5, §1.6).
#include "auth/auth_core.hpp"
#include "auth/error_codes.hpp"
#include "auth/validation.hpp"
#include "util/json_text.hpp"

#include "crow/error.hpp"

namespace crow::host {

namespace {

using namespace auth_errors;

void updateUser(AuthCore& core, crow::Request& request, crow::Response& response) {
  SessionLookup lookup = core.sessions->resolve(request);
  if (!lookup.found) throw crow::ApiError(401, kUnauthorized);
  SessionWithUser& caller = *lookup.found;
  const Poco::JSON::Object::Ptr body = request.json();
  if (body->has("email") && isJsTruthy(body->get("email"))) throw crow::ApiError(400, kEmailCanNotBeUpdated);
  crow::Row patch = core.parseUserInput(body, {"name", "image", "email"}, false);
  if (body->has("name")) {
    const auto name = body->get("name");
    if (!name.isString())
      throw crow::ApiError(400, "VALIDATION_ERROR", "[body.name] Invalid input: expected string, received " + jsonTypeName(name));
    patch["name"] = name.extract<std::string>();
  }
  if (body->has("image")) {
    const auto image = body->get("image");
    if (!image.isEmpty() && !image.isString())
      throw crow::ApiError(400, "VALIDATION_ERROR", "[body.image] Invalid input: expected string, received " + jsonTypeName(image));
    patch["image"] = image.isEmpty() ? crow::Value(std::monostate{}) : crow::Value(image.extract<std::string>());
  }
  if (patch.empty()) throw crow::ApiError(400, "", "No fields to update");
  patch["updatedAt"] = core.clock->now();
  const std::string userId = crow::asString(caller.user["id"]).value_or("");
  core.store->update("user", {crow::eq("id", userId)}, patch);
  // Better Auth re-sets the session cookie (same token), keeping the dont_remember choice.
  core.sessions->setSessionCookie(response, crow::asString(caller.session["token"]).value_or(""), lookup.dontRemember);
  sendJson(response, R"({"status":true})");
}

void changePassword(AuthCore& core, crow::Request& request, crow::Response& response) {
  SessionLookup lookup = core.sessions->resolve(request);
  if (!lookup.found) throw crow::ApiError(401, kUnauthorized);
  SessionWithUser& caller = *lookup.found;
  BodyValidator v(request.json());
  auto newPassword = v.requiredString("newPassword");
  auto currentPassword = v.requiredString("currentPassword");
  auto revokeOthers = v.optionalBoolean("revokeOtherSessions");
  v.throwIfInvalid();
  core.checkNewPasswordLength(*newPassword);
  const std::string userId = crow::asString(caller.user["id"]).value_or("");
  auto account = core.findCredentialAccount(*core.store, userId);
  const auto stored = account ? crow::asString((*account)["password"]) : std::nullopt;
  if (!stored || stored->empty()) throw crow::ApiError(400, kCredentialAccountNotFound);
  // No stored password is longer than the maximum: refuse an over-long one without hashing it.
  if (utf16Length(*currentPassword) > static_cast<size_t>(core.options.emailAndPassword.maxPasswordLength) ||
      !core.hasher->verify(*stored, *currentPassword))
    throw crow::ApiError(400, kInvalidPassword);
  const std::string hash = core.hashPassword(*newPassword);
  core.store->update("account", {crow::eq("id", crow::asString((*account)["id"]).value_or(""))},
                     crow::Row{{"password", hash}, {"updatedAt", core.clock->now()}});

  std::string out = "{\"token\":";
  if (revokeOthers.value_or(false)) {
    core.sessions->revokeAllForUser(userId);
    crow::Row session = core.sessions->create(userId, request, true);
    const std::string token = crow::asString(session["token"]).value_or("");
    core.sessions->setSessionCookie(response, token, lookup.dontRemember);
    appendJsonString(out, token);
  } else {
    out += "null";
  }
  out += ",\"user\":";
  out += core.userJson(caller.user);
  out += '}';
  sendJson(response, std::move(out));
}

}  // namespace

void registerUserRoutes(crow::InitContext& context, AuthCore& core) {
  context.route(crow::Method::Post, "/update-user",
                [&core](crow::Request& rq, crow::Response& rs) { updateUser(core, rq, rs); },
                {true, "change the caller's name, image or additional fields"});
  context.route(crow::Method::Post, "/change-password",
                [&core](crow::Request& rq, crow::Response& rs) { changePassword(core, rq, rs); },
                {true, "change the caller's password"});
}

}  // namespace crow::host
