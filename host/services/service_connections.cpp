#include "services/service_connections.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/URI.h>

#if CROW_SERVICES_HTTPS
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#endif

#include <algorithm>
#include <istream>
#include <strings.h>

namespace crow::host {

namespace {

using SteadyClock = std::chrono::steady_clock;

// The longest a caller may ask one call to take: a stuck downstream must not hold a request
// thread (or the outbox worker) for long.
constexpr std::chrono::milliseconds kMaxTimeout{60000};
constexpr std::chrono::milliseconds kMinTimeout{1};

std::string joinPath(const std::string& prefix, const std::string& path) {
  std::string suffix = path;
  if (!suffix.empty() && suffix.front() != '/' && suffix.front() != '?') suffix.insert(0, "/");
  std::string target = prefix + suffix;
  if (target.empty() || target.front() == '?') target.insert(0, "/");
  return target;
}

Poco::Timespan timespan(std::chrono::milliseconds ms) {
  return Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(ms).count());
}

std::chrono::milliseconds remaining(SteadyClock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  if (left < kMinTimeout) throw NetworkError("timeout");
  return left;
}

// Exception messages can hold host names or URLs (with credentials, if an operator put them in
// the service URL); the class name says enough and holds nothing.
NetworkError networkError(const Poco::Exception& e) {
  if (dynamic_cast<const Poco::Net::ConnectionRefusedException*>(&e)) return NetworkError("connection refused");
  if (dynamic_cast<const Poco::TimeoutException*>(&e)) return NetworkError("timeout");
  return NetworkError(std::string("network error: ") + e.name());
}

#if CROW_SERVICES_HTTPS
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

const std::string* HttpReply::header(std::string_view name) const noexcept {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return &v;
  return nullptr;
}

bool ServiceConnections::supportsHttps() noexcept { return CROW_SERVICES_HTTPS != 0; }

ServiceConnections::ServiceConnections(ServiceTarget target) : target_(std::move(target)) {
  Poco::URI uri;
  try {
    uri = Poco::URI(target_.url);
  } catch (const Poco::Exception&) {
    throw std::invalid_argument("service " + target_.name + " has an invalid URL");
  }
  scheme_ = uri.getScheme();
  if (scheme_ != "http" && !(scheme_ == "https" && supportsHttps()))
    throw std::invalid_argument("service " + target_.name + ": unsupported URL scheme");
  if (uri.getHost().empty()) throw std::invalid_argument("service " + target_.name + " has an invalid URL");
  host_ = uri.getHost();
  port_ = uri.getPort();
  basePath_ = uri.getPath();
  while (!basePath_.empty() && basePath_.back() == '/') basePath_.pop_back();
}

ServiceConnections::~ServiceConnections() = default;

ServiceConnections::Session ServiceConnections::take(bool& reused) {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      Session session = std::move(idle_.back());
      idle_.pop_back();
      reused = true;
      return session;
    }
  }
  reused = false;
  Session session;
#if CROW_SERVICES_HTTPS
  if (scheme_ == "https") session = std::make_unique<Poco::Net::HTTPSClientSession>(host_, port_, clientTlsContext());
#endif
  if (!session) session = std::make_unique<Poco::Net::HTTPClientSession>(host_, port_);
  session->setKeepAlive(true);
  session->setKeepAliveTimeout(Poco::Timespan(kKeepAlive.count(), 0));
  return session;
}

void ServiceConnections::giveBack(Session session) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(session));
}

HttpReply ServiceConnections::exchange(const HttpCall& call) {
  const auto timeout = std::clamp(call.timeout, kMinTimeout, kMaxTimeout);
  const auto deadline = SteadyClock::now() + timeout;
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    Session session = take(reused);
    try {
      bool reusable = false;
      HttpReply reply = exchangeOn(*session, call, deadline, reusable);
      if (reusable) giveBack(std::move(session));
      return reply;
    } catch (const Poco::TimeoutException& e) {
      throw networkError(e);  // the time is spent: never tried again
    } catch (const Poco::Exception& e) {
      // A pooled connection the server closed while it sat idle fails at once; the request never
      // reached a handler, so one fresh connection is tried. A new connection's failure is real.
      if (reused && attempt == 0 && SteadyClock::now() < deadline) continue;
      throw networkError(e);
    } catch (const std::ios_base::failure&) {
      throw NetworkError("network error: I/O failure");
    }
  }
}

HttpReply ServiceConnections::exchangeOn(Poco::Net::HTTPClientSession& session, const HttpCall& call,
                                         SteadyClock::time_point deadline, bool& reusable) {
  const Poco::Timespan perOperation = timespan(remaining(deadline));
  session.setTimeout(perOperation, perOperation, perOperation);
  if (session.connected()) {
    session.socket().setSendTimeout(perOperation);
    session.socket().setReceiveTimeout(perOperation);
  }

  Poco::Net::HTTPRequest request(call.method, joinPath(basePath_, call.path), Poco::Net::HTTPMessage::HTTP_1_1);
  if (call.hasBody) {
    request.setContentType(call.contentType);
    request.setContentLength(static_cast<std::streamsize>(call.body.size()));
  }
  for (const auto& [name, value] : call.headers) request.set(name, value);
  request.setKeepAlive(true);
  std::ostream& out = session.sendRequest(request);
  // Streams swallow their buffer's exceptions unless asked: a failed write or read must fail the
  // call with its own reason, not pass for a short body.
  out.exceptions(std::ios::badbit);
  if (call.hasBody) out << call.body;

  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  in.exceptions(std::ios::badbit);
  HttpReply reply;
  reply.status = static_cast<int>(response.getStatus());
  reply.reason = response.getReason();
  for (const auto& [name, value] : response) reply.headers.emplace_back(name, value);

  // Read in chunks, so a server that trickles its body cannot hold the call past its deadline.
  char buffer[16384];
  std::size_t total = 0;
  while (in) {
    session.socket().setReceiveTimeout(timespan(remaining(deadline)));
    in.read(buffer, sizeof buffer);
    const auto got = static_cast<std::size_t>(in.gcount());
    total += got;
    if (total > call.maxBody) {
      if (call.keepBody) throw NetworkError("response body too large");
      return reply;  // left unread: this connection cannot carry another request
    }
    if (call.keepBody) reply.body.append(buffer, got);
  }
  reusable = in.eof() && response.getKeepAlive();
  return reply;
}

}  // namespace crow::host
