#include "server/connection_request.hpp"

#include <Poco/Net/HTTPChunkedStream.h>
#include <Poco/Net/HTTPFixedLengthStream.h>
#include <Poco/Net/HTTPHeaderStream.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/HTTPStream.h>

namespace crow::host {

ConnectionRequest::ConnectionRequest(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPServerSession& session,
                                     const Poco::Net::HTTPServerParams& params, const Poco::Net::SocketAddress& client,
                                     const Poco::Net::SocketAddress& server, const std::string& clientHost)
    : response_(response),
      session_(session),
      socket_(session.socket()),
      params_(params),
      client_(client),
      server_(server),
      clientHost_(clientHost) {
  Poco::Net::HTTPHeaderInputStream head(session);
  read(head);
}

std::istream& ConnectionRequest::stream() {
  if (body_) return *body_;
  if (getChunkedTransferEncoding()) {
    body_ = std::make_unique<Poco::Net::HTTPChunkedInputStream>(session_);
  } else if (hasContentLength()) {
    body_ = std::make_unique<Poco::Net::HTTPFixedLengthInputStream>(session_, getContentLength64());
  } else if (getMethod() == HTTP_GET || getMethod() == HTTP_HEAD || getMethod() == HTTP_DELETE) {
    body_ = std::make_unique<Poco::Net::HTTPFixedLengthInputStream>(session_, 0);
  } else {
    body_ = std::make_unique<Poco::Net::HTTPInputStream>(session_);
  }
  return *body_;
}

ConnectionRequest::~ConnectionRequest() = default;

}  // namespace crow::host
