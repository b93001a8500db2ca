#include "outbox/http_delivery.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/URI.h>

#if CROW_OUTBOX_HTTPS
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#endif

#include <istream>
#include <mutex>

namespace crow::host {

namespace {

std::string targetPath(const Poco::URI& base, const std::string& path) {
  std::string prefix = base.getPath();
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  std::string suffix = path;
  if (!suffix.empty() && suffix.front() != '/') suffix.insert(0, "/");
  std::string target = prefix + suffix;
  return target.empty() ? "/" : target;
}

// Exception messages can hold host names or URLs (with credentials, if an operator put them in
// the service URL); the class name says enough and holds nothing.
DeliveryResult failure(const Poco::Exception& e) {
  DeliveryResult result;
  result.kind = DeliveryResult::Kind::Retry;
  if (dynamic_cast<const Poco::Net::ConnectionRefusedException*>(&e)) result.reason = "connection refused";
  else if (dynamic_cast<const Poco::TimeoutException*>(&e)) result.reason = "timeout";
  else result.reason = std::string("network error: ") + e.name();
  return result;
}

// Reads the ignored response body so the connection can carry the next message. A body too
// large or broken makes the connection unusable instead (the status is already known).
bool drained(std::istream& body) {
  constexpr std::streamsize kMaxBody = 1 << 20;
  try {
    body.ignore(kMaxBody);
    return body.eof();
  } catch (...) {
    return false;
  }
}

#if CROW_OUTBOX_HTTPS
Poco::Net::Context::Ptr clientTlsContext() {
  static std::once_flag once;
  static Poco::Net::Context::Ptr context;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    // VERIFY_RELAXED on a client verifies the server's chain against the system CAs; Poco also
    // checks the host name. With no handler registered, a failed verification fails the call.
    context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                     Poco::Net::Context::VERIFY_RELAXED, 9, true);
  });
  return context;
}
#endif

}  // namespace

HttpDelivery::HttpDelivery(std::chrono::milliseconds timeout) : timeout_(timeout) {}
HttpDelivery::~HttpDelivery() = default;

bool HttpDelivery::supportsHttps() noexcept { return CROW_OUTBOX_HTTPS != 0; }

Poco::Net::HTTPClientSession& HttpDelivery::sessionFor(const std::string& scheme, const std::string& host,
                                                        uint16_t port) {
  const std::string key = scheme + "://" + host + ":" + std::to_string(port);
  auto& session = sessions_[key];
  if (!session) {
#if CROW_OUTBOX_HTTPS
    if (scheme == "https") session = std::make_unique<Poco::Net::HTTPSClientSession>(host, port, clientTlsContext());
#endif
    if (!session) session = std::make_unique<Poco::Net::HTTPClientSession>(host, port);
    const Poco::Timespan timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeout_).count());
    session->setTimeout(timeout, timeout, timeout);
    session->setKeepAlive(true);
  }
  return *session;
}

DeliveryResult HttpDelivery::post(const crow::ServiceEndpoint& service, const ClaimedMessage& message) {
  Poco::URI base;
  try {
    base = Poco::URI(service.url);
  } catch (const Poco::Exception&) {
    return {DeliveryResult::Kind::Retry, "service " + service.name + " has an invalid URL", std::nullopt};
  }
  const std::string scheme = base.getScheme();
  if (scheme != "http" && !(scheme == "https" && supportsHttps()))
    return {DeliveryResult::Kind::Retry, "service " + service.name + ": unsupported URL scheme", std::nullopt};

  const std::string key = scheme + "://" + base.getHost() + ":" + std::to_string(base.getPort());
  Poco::Net::HTTPClientSession* session = nullptr;
  try {
    session = &sessionFor(scheme, base.getHost(), base.getPort());
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, targetPath(base, message.path),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(message.payload.size()));
    request.set("X-Service-API-Key", service.apiKey);
    request.set("Idempotency-Key", message.idempotencyKey);
    request.set("X-Event-Type", message.eventType);
    request.set("User-Agent", "crow-auth-outbox");
    request.setKeepAlive(true);
    session->sendRequest(request) << message.payload;

    Poco::Net::HTTPResponse response;
    std::istream& body = session->receiveResponse(response);
    DeliveryResult result = classifyHttpStatus(response.getStatus(), response.getReason());
    if (response.has("Retry-After")) result.retryAfter = parseRetryAfter(response.get("Retry-After"));
    if (!drained(body)) sessions_.erase(key);
    return result;
  } catch (const Poco::Exception& e) {
    sessions_.erase(key);  // a failed connection is never reused
    return failure(e);
  } catch (const std::exception&) {
    sessions_.erase(key);
    return {DeliveryResult::Kind::Retry, "delivery error", std::nullopt};
  }
}

}  // namespace crow::host
