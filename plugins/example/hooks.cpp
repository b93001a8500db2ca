// hooks.cpp - the example plugin's request hooks. They run only for paths under "/example"
// (below the base path), so the rest of the service is untouched.
#include "error_codes.hpp"
#include "example.hpp"

#include <crow/error.hpp>
#include <crow/hooks.hpp>

namespace example {

void registerHooks(crow::InitContext& context, const Options& options) {
  // Before the route runs: a request carrying the block header is refused with 403. Throwing
  // ApiError is how a before-hook rejects; the first rejection wins.
  context.onRequest(
      crow::HookPoint::RequestBefore,
      [header = options.blockHeader](crow::Request& request, crow::Response&) {
        if (request.header(header) != nullptr) throw crow::ApiError(403, errors::EXAMPLE_BLOCKED);
      },
      {.pathPrefix = "/example"});

  // After the response is made (also after a rejection): tag it with the plugin's version.
  context.onRequest(
      crow::HookPoint::RequestAfter,
      [](crow::Request&, crow::Response& response) { response.setHeader("X-Example-Plugin", kPluginVersion); },
      {.pathPrefix = "/example"});
}

}  // namespace example
