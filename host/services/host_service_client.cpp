#include "services/host_service_client.hpp"

#include <stdexcept>
#include <strings.h>

namespace crow::host {

namespace {

constexpr std::string_view kKeyHeader = "X-Service-API-Key";

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool splitsRequest(std::string_view text) { return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos; }

}  // namespace

HostServiceClient::HostServiceClient(ServiceTarget target) : connections_(std::move(target)) {}

crow::ServiceResponse HostServiceClient::send(crow::Method method, const std::string& path, const std::string& jsonBody,
                                              const std::vector<std::pair<std::string, std::string>>& headers,
                                              std::chrono::milliseconds timeout) {
  if (splitsRequest(path) || path.find(' ') != std::string::npos)
    throw std::invalid_argument("service " + name() + ": the path holds a space, CR, LF or NUL");
  HttpCall call;
  call.method = std::string(crow::methodName(method));
  call.path = path;
  call.body = jsonBody;
  call.hasBody = !jsonBody.empty();
  call.timeout = timeout;
  call.headers.reserve(headers.size() + 1);
  for (const auto& [headerName, value] : headers) {
    // The key is the host's to present: a plugin that could set it could impersonate crow-auth
    // with a key of its choosing, or leak the real one by echoing it somewhere.
    if (sameName(headerName, kKeyHeader))
      throw std::invalid_argument("service " + name() + ": X-Service-API-Key is set by the client, not the caller");
    if (headerName.empty() || splitsRequest(headerName) || splitsRequest(value))
      throw std::invalid_argument("service " + name() + ": header " + headerName + " holds CR, LF or NUL");
    call.headers.emplace_back(headerName, value);
  }
  const std::string& key = connections_.target().apiKey;
  if (!key.empty()) call.headers.emplace_back(std::string(kKeyHeader), key);
  call.headers.emplace_back("User-Agent", "crow-auth");

  try {
    HttpReply reply = connections_.exchange(call);
    return crow::ServiceResponse{reply.status, std::move(reply.body)};
  } catch (const NetworkError& e) {
    throw crow::ServiceUnavailable("service " + name() + " unavailable: " + e.what());
  }
}

}  // namespace crow::host
