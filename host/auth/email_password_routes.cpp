// POST /sign-up/email and POST /sign-in/email (CONTRACT.md §1.1, §1.2).
#include "auth/auth_core.hpp"
#include "auth/error_codes.hpp"
#include "auth/validation.hpp"
#include "crypto/random.hpp"
#include "util/json_text.hpp"

#include "crow/error.hpp"

namespace crow::host {

namespace {

using namespace auth_errors;

const std::set<std::string> kSignUpKeys = {"name", "email", "password", "image", "callbackURL", "rememberMe"};

// `{"token":..,"user":..}`, the sign-up and change-password answer.
std::string tokenAndUser(const std::optional<std::string>& token, const std::string& userJson) {
  std::string out = "{\"token\":";
  if (token)
    appendJsonString(out, *token);
  else
    out += "null";
  out += ",\"user\":";
  out += userJson;
  out += '}';
  return out;
}

// A sign-in with rememberMe on after one with it off: Better Auth 1.7.25 expires the stale
// dont_remember cookie, or later refreshes would keep treating the session as "don't remember".
void expireStaleDontRemember(const AuthCore& core, const crow::Request& request, crow::Response& response) {
  const std::string name = core.sessions->cookieName("dont_remember");
  if (!request.cookie(name)) return;
  crow::CookieOptions expired;
  expired.maxAge = 0;
  expired.secure = core.options.session.secureCookies;
  response.addHeader("Set-Cookie", crow::formatSetCookie(name, "", expired));
}

void signUp(AuthCore& core, crow::Request& request, crow::Response& response) {
  validateFormCsrf(request, *core.origins);
  const Poco::JSON::Object::Ptr body = request.json(true);
  BodyValidator v(body);
  auto name = v.requiredString("name");
  auto email = v.requiredEmail("email");
  auto password = v.requiredString("password", true);
  auto image = v.optionalString("image");
  auto callbackURL = v.optionalString("callbackURL");
  auto rememberMe = v.optionalBoolean("rememberMe");
  v.throwIfInvalid();

  const auto& ep = core.options.emailAndPassword;
  if (!ep.enabled || ep.disableSignUp) throw crow::ApiError(400, kSignUpDisabled);
  core.checkNewPasswordLength(*password);
  const bool genericDuplicate = ep.requireEmailVerification || !ep.autoSignIn;
  crow::Row additional = core.parseUserInput(body, kSignUpKeys, true);
  const std::string normalizedEmail = lowerAscii(*email);
  const crow::Timestamp now = core.clock->now();

  // What Better Auth answers for an existing email when sign-up must not reveal it: a made-up
  // user with a fresh id, after the same hashing work a real sign-up does.
  // The row a new user gets: the real one, and the made-up one, look exactly alike.
  auto newUserRow = [&] {
    crow::Row user = additional;
    user["id"] = randomId(32);
    user["name"] = *name;
    user["email"] = normalizedEmail;
    user["emailVerified"] = false;
    user["image"] = image ? crow::Value(*image) : crow::Value(std::monostate{});
    user["createdAt"] = now;
    user["updatedAt"] = now;
    return user;
  };
  auto syntheticUser = [&] { sendJson(response, tokenAndUser(std::nullopt, core.userJson(newUserRow()))); };

  if (core.findUserByEmail(*core.store, normalizedEmail)) {
    if (!genericDuplicate) throw crow::ApiError(422, kUserAlreadyExistsUseAnotherEmail);
    (void)core.hashPassword(*password);
    return syntheticUser();
  }

  // Hash outside the transaction: 100 ms of scrypt must not hold a database write lock.
  const std::string hash = core.hashPassword(*password);
  crow::Row user = newUserRow();
  const bool sendVerification = core.options.emailVerification.sendOnSignUp && core.emailEnabled;
  crow::Row created;
  try {
    core.store->transaction([&](crow::Store& tx) {
      // Through the Store, so plugins' user.create hooks (a domain blocklist, ...) can refuse it.
      created = tx.create("user", user);
      for (auto& [k, val] : user)
        if (!created.count(k)) created.emplace(k, val);
      const std::string userId = crow::asString(created["id"]).value_or("");
      tx.create("account", crow::Row{{"id", randomId(32)},
                                     {"accountId", userId},
                                     {"providerId", std::string("credential")},
                                     {"userId", userId},
                                     {"password", hash},
                                     {"createdAt", now},
                                     {"updatedAt", now}});
      if (sendVerification) core.enqueueVerificationEmail(tx, created, callbackURL.value_or(""));
    });
  } catch (const crow::ApiError& e) {
    if (e.status() == 403 && genericDuplicate) return syntheticUser();
    throw;
  } catch (const crow::DatabaseError& e) {
    if (e.kind() == crow::DatabaseError::Kind::Unavailable) throw;
    // A concurrent sign-up with the same email lost the race on the unique index.
    if (e.kind() == crow::DatabaseError::Kind::Constraint && core.findUserByEmail(*core.store, normalizedEmail)) {
      if (!genericDuplicate) throw crow::ApiError(422, kUserAlreadyExistsUseAnotherEmail);
      return syntheticUser();
    }
    core.logger->error("sign-up: failed to create user", {{"error", e.what()}});
    throw crow::ApiError(422, kFailedToCreateUser);
  }

  if (genericDuplicate) return sendJson(response, tokenAndUser(std::nullopt, core.userJson(created)));
  const bool remember = rememberMe.value_or(true);
  crow::Row session = core.sessions->create(crow::asString(created["id"]).value_or(""), request, remember);
  const std::string token = crow::asString(session["token"]).value_or("");
  core.sessions->setSessionCookie(response, token, !remember);
  if (remember) expireStaleDontRemember(core, request, response);
  sendJson(response, tokenAndUser(token, core.userJson(created)));
}

void signIn(AuthCore& core, crow::Request& request, crow::Response& response) {
  validateFormCsrf(request, *core.origins);
  const Poco::JSON::Object::Ptr body = request.json(true);
  BodyValidator v(body);
  auto email = v.requiredString("email");
  auto password = v.requiredString("password");
  auto callbackURL = v.optionalString("callbackURL");
  auto rememberMe = v.optionalBoolean("rememberMe");
  v.throwIfInvalid();

  if (!core.options.emailAndPassword.enabled) throw crow::ApiError(400, kEmailPasswordDisabled);
  if (!isValidEmail(*email)) throw crow::ApiError(400, kInvalidEmail);
  // crow-auth refuses an over-long password before hashing it (Better Auth hashes it first).
  if (utf16Length(*password) > static_cast<size_t>(core.options.emailAndPassword.maxPasswordLength))
    throw crow::ApiError(400, kPasswordTooLong);

  std::optional<crow::Row> user = core.findUserByEmail(*core.store, *email);
  std::optional<crow::Row> account;
  if (user) account = core.findCredentialAccount(*core.store, crow::asString((*user)["id"]).value_or(""));
  const std::optional<std::string> stored = account ? crow::asString((*account)["password"]) : std::nullopt;
  if (!stored || stored->empty()) {
    // The same scrypt work as a wrong password, so the answer's timing does not reveal the email.
    core.hasher->burnEquivalentWork(*password);
    throw crow::ApiError(401, kInvalidEmailOrPassword);
  }
  if (!core.hasher->verify(*stored, *password)) throw crow::ApiError(401, kInvalidEmailOrPassword);

  if (core.options.emailAndPassword.requireEmailVerification &&
      !crow::asBool((*user)["emailVerified"]).value_or(false)) {
    if (core.emailEnabled && core.options.emailVerification.sendOnSignIn)
      core.enqueueVerificationEmail(*core.store, *user, callbackURL.value_or(""));
    throw crow::ApiError(403, kEmailNotVerified);
  }

  const bool remember = rememberMe.value_or(true);
  crow::Row session = core.sessions->create(crow::asString((*user)["id"]).value_or(""), request, remember);
  const std::string token = crow::asString(session["token"]).value_or("");
  core.sessions->setSessionCookie(response, token, !remember);
  if (remember) expireStaleDontRemember(core, request, response);
  const bool redirect = callbackURL && !callbackURL->empty();
  if (redirect) response.setHeader("Location", *callbackURL);

  std::string out = "{\"redirect\":";
  out += redirect ? "true" : "false";
  out += ",\"token\":";
  appendJsonString(out, token);
  if (callbackURL) {
    out += ",\"url\":";
    appendJsonString(out, *callbackURL);
  }
  out += ",\"user\":";
  out += core.userJson(*user);
  out += '}';
  sendJson(response, std::move(out));
}

}  // namespace

void registerEmailPasswordRoutes(crow::InitContext& context, AuthCore& core) {
  context.route(crow::Method::Post, "/sign-up/email",
                [&core](crow::Request& rq, crow::Response& rs) { signUp(core, rq, rs); },
                {true, "create a user with email and password"});
  context.route(crow::Method::Post, "/sign-in/email",
                [&core](crow::Request& rq, crow::Response& rs) { signIn(core, rq, rs); },
                {true, "sign in with email and password"});
}

}  // namespace crow::host
