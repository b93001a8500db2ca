// crow/services.hpp - calling the other services of the platform (user, organization, billing,
// notification, product) without ever holding their keys.
//
// The host reads each service's url and key from the `services:` block. A plugin asks its
// InitContext for a ServiceClient by name and calls it; the client presents the service's key as
// `X-Service-API-Key`. A call that must not be lost (a sync, an email) goes through the Outbox
// instead, written in the same transaction as the change it reports.
#pragma once

#include "crow/http.hpp"
#include "crow/store.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace crow {

/// What a service answered. Any status is returned as is (a 4xx or 5xx is not an exception).
struct ServiceResponse {
  int status = 0;
  std::string body;
};

/// Thrown when a service cannot be reached (connection refused, DNS, timeout, TLS) or its answer
/// is unusable (malformed, or a body over 8 MiB). The message names the service and the kind of
/// failure, never the key or the URL's credentials.
class ServiceUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  ~ServiceUnavailable() override;
};

/// Calls one configured service (`services:` block) and presents its key as X-Service-API-Key.
/// Safe to call from many request threads at once; connections are kept alive and reused.
class ServiceClient {
 public:
  virtual ~ServiceClient();
  /// The service's name in `services:` ("user", "notification", ...).
  virtual const std::string& name() const noexcept = 0;
  /// A request to the service's url + `path` with a JSON body (empty: no body); Content-Type
  /// application/json; `headers` added (never X-Service-API-Key: the client sets it, and throws
  /// std::invalid_argument when given one, or a header name or value holding CR, LF or NUL).
  /// `timeout` bounds connecting and each read and write, and the call as a whole (at most 60 s).
  /// Throws ServiceUnavailable when the service cannot be reached in time.
  virtual ServiceResponse send(Method method, const std::string& path, const std::string& jsonBody = {},
                               const std::vector<std::pair<std::string, std::string>>& headers = {},
                               std::chrono::milliseconds timeout = std::chrono::seconds(5)) = 0;
};

/// A message for the outbox (DESIGN.md "Outbox"): delivered later, with retries, to a service.
/// The host POSTs `payloadJson` to the service's url + `path` with its X-Service-API-Key, an
/// `Idempotency-Key` and `X-Event-Type: <eventType>`.
struct OutboundMessage {
  std::string service;         ///< "user", "organization", "notification", ...
  std::string path;            ///< appended to the service url
  std::string aggregateId;     ///< messages of one aggregate are delivered in order
  std::string eventType;       ///< "organization.created", ...
  std::string payloadJson;     ///< the JSON body: an object ("" sends {})
  std::string idempotencyKey;  ///< empty: generated (the message id)
};

class Outbox {
 public:
  virtual ~Outbox();
  /// Writes the message through `store` — pass the Store of the transaction (or data hook's
  /// DataChange::store) that makes the change, so the message exists exactly when the change does.
  /// Returns the message id. Throws std::invalid_argument when service or eventType is empty or
  /// payloadJson is not a JSON object.
  virtual std::string enqueue(Store& store, const OutboundMessage& message) = 0;
};

}  // namespace crow
