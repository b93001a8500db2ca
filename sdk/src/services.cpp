// Key functions of crow/services.hpp: one home for each vtable and typeinfo, so a plugin can catch
// the host's ServiceUnavailable.
#include "crow/services.hpp"

namespace crow {

ServiceUnavailable::~ServiceUnavailable() = default;
ServiceClient::~ServiceClient() = default;
Outbox::~Outbox() = default;

}  // namespace crow
