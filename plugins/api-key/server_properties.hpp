// server_properties.hpp - the key properties Better Auth lets only server code set: remaining,
// refill, the per-key rate limit and permissions. Over HTTP here, only a platform service that
// presents its X-Service-API-Key (the host's inboundKeys:) may set them, and may name the user a
// key is made for; a browser client gets 400 SERVER_ONLY_PROPERTY as in Better Auth.
#pragma once

#include "service.hpp"

#include <crow/http.hpp>
#include <crow/store.hpp>

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace apikey {

/// The calling platform service's name, when the request carries a valid X-Service-API-Key (or
/// the service-auth plugin already vouched for it); nullopt for everyone else.
std::optional<std::string> serviceCaller(const Service& service, const crow::Request& request);

/// Whether `body` sets a server-only property. Better Auth's create accepts a null `remaining`
/// from a client (it is the default); its update refuses `remaining` in any form.
enum class NullRemaining { Allowed, Refused };
bool setsServerProperty(const Poco::JSON::Object& body, NullRemaining nullRemaining);

/// The server-only columns `body` sets, validated (400 VALIDATION_ERROR naming the field):
/// remaining null or an integer ≥ 0; refillAmount and refillInterval (ms) integers ≥ 1 or null,
/// given together; rateLimitEnabled a boolean; rateLimitTimeWindow (ms) and rateLimitMax integers
/// ≥ 1; permissions an object of arrays of strings (stored as JSON text) or null.
crow::Row readServerProperties(const Poco::JSON::Object& body);

}  // namespace apikey
