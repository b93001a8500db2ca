#include "server/body_reader.hpp"

#include "server/connection_request.hpp"

#include <Poco/Net/StreamSocket.h>

#include <chrono>

#include <istream>

namespace crow::host {

BodyStatus readRequestBody(Poco::Net::HTTPServerRequest& request, std::size_t maxBytes, std::string& out) {
  out.clear();
  if (request.getChunkedTransferEncoding()) {
    std::istream& in = request.stream();
    char buffer[16 * 1024];
    while (in) {
      in.read(buffer, sizeof buffer);
      const auto n = static_cast<std::size_t>(in.gcount());
      if (n == 0) break;
      if (out.size() + n > maxBytes) return BodyStatus::TooLarge;
      out.append(buffer, n);
    }
    // Poco's chunked reader reports bad framing and a vanished client alike, as a failed stream.
    return in.bad() ? BodyStatus::Malformed : BodyStatus::Ok;
  }
  if (!request.hasContentLength()) return BodyStatus::Ok;

  const long long declared = request.getContentLength64();
  if (declared < 0) return BodyStatus::Malformed;
  if (static_cast<unsigned long long>(declared) > maxBytes) return BodyStatus::TooLarge;
  if (declared == 0) return BodyStatus::Ok;
  out.resize(static_cast<std::size_t>(declared));
  std::istream& in = request.stream();
  in.read(out.data(), declared);
  if (in.gcount() != declared) {
    out.clear();
    return BodyStatus::Truncated;
  }
  return BodyStatus::Ok;
}

void lingerBeforeClose(Poco::Net::HTTPServerRequest& request, int budgetMs, std::size_t maxBytes) noexcept {
  // Requests reach the pipeline only from our connections (server/http_connection.cpp).
  auto* ours = dynamic_cast<ConnectionRequest*>(&request);
  if (!ours) return;
  try {
    Poco::Net::StreamSocket& socket = ours->socket();
    socket.shutdownSend();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(budgetMs);
    char scratch[16 * 1024];
    std::size_t discarded = 0;
    while (discarded < maxBytes) {
      const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !socket.poll(Poco::Timespan(left.count()), Poco::Net::Socket::SELECT_READ)) break;
      const int n = socket.receiveBytes(scratch, sizeof scratch);
      if (n <= 0) break;
      discarded += static_cast<std::size_t>(n);
    }
  } catch (...) {
    // The client went away first: nothing left to protect.
  }
}

}  // namespace crow::host
