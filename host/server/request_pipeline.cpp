#include "server/request_pipeline.hpp"

#include "server/body_reader.hpp"
#include "server/connection_request.hpp"
#include "server/request_hooks.hpp"
#include "server/request_id.hpp"
#include "server/response_writer.hpp"
#include "server/router.hpp"
#include "util/json_text.hpp"
#include "util/logger.hpp"

#include "crow/error.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <chrono>

namespace crow::host {

namespace {

using Clock = std::chrono::steady_clock;

// The peer's address as text; our connections format it once (connection_request.hpp).
std::string peerHost(const Poco::Net::HTTPServerRequest& request) {
  if (const auto* ours = dynamic_cast<const ConnectionRequest*>(&request)) return ours->clientHost();
  return request.clientAddress().host().toString();
}

constexpr std::size_t kMaxLoggedPath = 512;  // keeps an access line under PIPE_BUF
constexpr int kLingerMs = 500;
constexpr std::size_t kLingerBytes = 8 * 1024 * 1024;

std::string normaliseBasePath(std::string basePath) {
  while (!basePath.empty() && basePath.back() == '/') basePath.pop_back();
  return basePath;
}

std::string lowerCase(const std::string& s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

void setJson(crow::Response& response, int status, std::string body) {
  response.status = status;
  response.body = std::move(body);
  response.contentType = "application/json";
}

}  // namespace

struct RequestPipeline::Outcome {
  Clock::time_point start = Clock::now();
  std::string requestId = newRequestId();
  std::string client;
  int status = 0;
  long long bytes = 0;
  std::string_view owner;
  bool lingerClose = false;  ///< an unread body is left on the connection
};

RequestPipeline::RequestPipeline(const ServerOptions& options, const Router& router, const RequestHooks& hooks,
                                 crow::Logger& logger, std::function<bool()> readinessProbe)
    : options_(options),
      router_(router),
      hooks_(hooks),
      logger_(logger),
      readinessProbe_(std::move(readinessProbe)),
      trustedProxies_(options.trustedProxies),
      basePath_(normaliseBasePath(options.basePath)) {
  if (options.accessLog) accessLogger_ = dynamic_cast<StderrLogger*>(&logger);
}

void RequestPipeline::handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& out) noexcept {
  inFlight_.fetch_add(1, std::memory_order_acq_rel);
  struct Leave {
    std::atomic<int>& counter;
    ~Leave() { counter.fetch_sub(1, std::memory_order_acq_rel); }
  } leave{inFlight_};

  std::string_view methodText;
  std::string_view rawPath;
  Outcome outcome;
  try {
    if (stopping_.load(std::memory_order_relaxed)) out.setKeepAlive(false);
    methodText = request.getMethod();
    const std::string& uri = request.getURI();
    const size_t questionMark = uri.find('?');
    rawPath = std::string_view(uri).substr(0, questionMark);
    const std::string_view query =
        questionMark == std::string::npos ? std::string_view{} : std::string_view(uri).substr(questionMark + 1);

    crow::Response response;
    const std::optional<crow::Method> method = crow::parseMethod(methodText);
    const bool isGet = method == crow::Method::Get;
    if (!method || (isGet && (rawPath == "/health" || rawPath == "/ready"))) {
      if (options_.accessLog) outcome.client = peerHost(request);
      // These ignore a body, but still consume it: left unread it would become the next request.
      std::string ignored;
      if (acceptBody(readRequestBody(request, options_.maxBodyBytes, ignored), out, outcome, response)) {
        if (!method)
          renderEmpty(response, 404);  // HEAD, OPTIONS, ...: Better Auth has no such routes
        else if (rawPath == "/health")
          setJson(response, 200, R"({"status":"ok"})");
        else
          serveReady(response);
      }
    } else {
      serveRoute(request, *method, rawPath, query, outcome, response);
    }
    if (outcome.status >= 0) {
      outcome.status = response.status;
      outcome.bytes = writeResponse(response, outcome.requestId, out, outcome.lingerClose);
      if (outcome.lingerClose) lingerBeforeClose(request, kLingerMs, kLingerBytes);
    }
  } catch (...) {
    // Only bad_alloc and the like get here; the connection cannot be trusted any more.
    out.setKeepAlive(false);
    outcome.status = -1;
  }
  logAccess(methodText, rawPath, outcome);
}

bool RequestPipeline::acceptBody(BodyStatus status, Poco::Net::HTTPServerResponse& out, Outcome& outcome,
                                 crow::Response& response) {
  switch (status) {
    case BodyStatus::Ok: return true;
    case BodyStatus::TooLarge:
      // The unread rest of the body makes the connection unusable: answer, then close.
      setJson(response, 413, jsonError("PAYLOAD_TOO_LARGE", "Request body is too large"));
      outcome.lingerClose = true;
      break;
    case BodyStatus::Malformed:
      setJson(response, 400, jsonError("BAD_REQUEST", "Malformed request body"));
      outcome.lingerClose = true;
      break;
    case BodyStatus::Truncated:
      outcome.status = -1;  // the client left mid-body: nobody to answer
      break;
  }
  out.setKeepAlive(false);
  return false;
}

void RequestPipeline::serveReady(crow::Response& response) {
  bool ready = false;
  try {
    ready = readinessProbe_ && readinessProbe_();
  } catch (const std::exception& e) {
    logger_.debug("readiness probe failed", {{"error", e.what()}});
  } catch (...) {
  }
  if (ready)
    setJson(response, 200, R"({"status":"ready"})");
  else
    setJson(response, 503,
            R"({"status":"unavailable","code":"DATABASE_UNAVAILABLE","message":"The database is unreachable"})");
}

void RequestPipeline::serveRoute(Poco::Net::HTTPServerRequest& in, crow::Method method, std::string_view rawPath,
                                 std::string_view query, Outcome& outcome, crow::Response& response) {
  crow::Request request;
  request.method = method;
  request.rawPath = std::string(rawPath);
  if (!basePath_.empty() && rawPath.starts_with(basePath_) &&
      (rawPath.size() == basePath_.size() || rawPath[basePath_.size()] == '/'))
    request.path = std::string(rawPath.substr(basePath_.size()));
  else
    request.path = request.rawPath;
  request.queryString = std::string(query);
  request.requestId = outcome.requestId;

  std::vector<std::string_view> forwardedFor;
  request.headers.reserve(in.size());
  for (const auto& [name, value] : in) {
    request.headers.emplace_back(lowerCase(name), value);
    if (!trustedProxies_.empty() && request.headers.back().first == "x-forwarded-for") forwardedFor.push_back(value);
  }
  const std::string peer = peerHost(in);
  request.clientAddress = trustedProxies_.empty() ? peer : resolveClientAddress(peer, forwardedFor, trustedProxies_);
  outcome.client = request.clientAddress;

  if (!acceptBody(readRequestBody(in, options_.maxBodyBytes, request.body), in.response(), outcome, response))
    return;

  try {
    try {
      hooks_.runBefore(request, response);
      std::optional<Router::Match> match = router_.match(method, rawPath);
      if (!match) {
        renderEmpty(response, 404);
      } else {
        outcome.owner = match->route->owner;
        request.params = std::move(match->params);
        match->route->handler(request, response);
      }
    } catch (const crow::ApiError& e) {
      renderApiError(e, response);
    } catch (const HookFailure& e) {
      logger_.error("hook of plugin " + e.owner() + " failed: " + e.what(),
                    {{"request_id", outcome.requestId}, {"path", request.path}});
      renderEmpty(response, 500);
    } catch (const crow::DatabaseError& e) {
      logger_.error("database error in route of plugin " + std::string(outcome.owner) + ": " + e.what(),
                    {{"request_id", outcome.requestId}, {"path", request.path}});
      renderEmpty(response, 500);
    } catch (const Poco::Exception& e) {
      logger_.error("route of plugin " + std::string(outcome.owner) + " failed: " + e.displayText(),
                    {{"request_id", outcome.requestId}, {"path", request.path}});
      renderEmpty(response, 500);
    } catch (const std::exception& e) {
      logger_.error("route of plugin " + std::string(outcome.owner) + " failed: " + e.what(),
                    {{"request_id", outcome.requestId}, {"path", request.path}});
      renderEmpty(response, 500);
    } catch (...) {
      logger_.error("route of plugin " + std::string(outcome.owner) + " failed: unknown exception",
                    {{"request_id", outcome.requestId}, {"path", request.path}});
      renderEmpty(response, 500);
    }

    // After-hooks see whatever was produced, rejections and 404s included.
    try {
      hooks_.runAfter(request, response);
    } catch (const crow::ApiError& e) {
      renderApiError(e, response);
    } catch (const HookFailure& e) {
      logger_.error("hook of plugin " + e.owner() + " failed: " + e.what(),
                    {{"request_id", outcome.requestId}, {"path", request.path}});
      renderEmpty(response, 500);
    }
  } catch (...) {
    // Logging itself failed (out of memory): still answer.
    renderEmpty(response, 500);
  }
}

void RequestPipeline::flushAccessLog() noexcept {
  if (accessLogger_) accessLogger_->flush();
}

void RequestPipeline::logAccess(std::string_view method, std::string_view path, const Outcome& outcome) noexcept {
  if (!options_.accessLog) return;
  try {
    AccessRecord record;
    record.method = method.substr(0, 16);
    record.path = path.substr(0, kMaxLoggedPath);
    record.status = outcome.status < 0 ? 0 : outcome.status;
    record.durationMicros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - outcome.start).count();
    record.responseBytes = outcome.bytes;
    record.requestId = outcome.requestId;
    record.client = outcome.client;
    record.owner = outcome.owner;
    if (accessLogger_) {
      accessLogger_->access(record);
    } else {
      logger_.info("request", {{"method", std::string(record.method)},
                               {"path", std::string(record.path)},
                               {"status", std::to_string(record.status)},
                               {"duration_us", std::to_string(record.durationMicros)},
                               {"bytes", std::to_string(record.responseBytes)},
                               {"request_id", outcome.requestId},
                               {"client", outcome.client},
                               {"owner", std::string(outcome.owner)}});
    }
  } catch (...) {
  }
}

}  // namespace crow::host
