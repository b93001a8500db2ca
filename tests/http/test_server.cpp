#include "test_server.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

namespace crow::test {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

const std::string* HttpReply::header(std::string_view name) const {
  const std::string key = lower(std::string(name));
  for (const auto& [k, v] : headers)
    if (k == key) return &v;
  return nullptr;
}

int HttpReply::count(std::string_view name) const {
  const std::string key = lower(std::string(name));
  return static_cast<int>(std::count_if(headers.begin(), headers.end(), [&](const auto& h) { return h.first == key; }));
}

LogFile::LogFile() {
  char path[] = "/tmp/crow-http-test-log-XXXXXX";
  fd_ = ::mkstemp(path);
  if (fd_ < 0) throw std::runtime_error("mkstemp failed");
  ::unlink(path);
}

LogFile::~LogFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::string LogFile::contents() const {
  std::string all;
  char buf[8192];
  off_t offset = 0;
  ssize_t n;
  while ((n = ::pread(fd_, buf, sizeof buf, offset)) > 0) {
    all.append(buf, static_cast<size_t>(n));
    offset += n;
  }
  return all;
}

host::ServerOptions TestServer::defaults() {
  host::ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.threads = 8;
  o.maxQueued = 64;
  o.maxBodyBytes = 64 * 1024;
  o.keepAliveTimeoutS = 5;
  o.receiveTimeoutS = 5;
  o.shutdownGraceMs = 3000;
  return o;
}

TestServer::TestServer(host::ServerOptions options)
    : logger("server", LogLevel::Debug, log.fd()), options_(std::move(options)) {}

TestServer::~TestServer() { server_.reset(); }

void TestServer::start() {
  server_ = std::make_unique<host::HttpServer>(options_, router, hooks, logger, [this] { return probe(); });
  server_->start();
}

void TestServer::stop() { server_->stop(); }

HttpReply request(int port, const std::string& method, const std::string& target, const std::string& body,
                  const Headers& headers, Poco::Net::HTTPClientSession* session) {
  std::unique_ptr<Poco::Net::HTTPClientSession> own;
  if (!session) {
    own = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", static_cast<Poco::UInt16>(port));
    session = own.get();
  }
  session->setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest req(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [k, v] : headers) req.add(k, v);
  if (!body.empty() || method == "POST") req.setContentLength64(static_cast<Poco::Int64>(body.size()));
  std::ostream& out = session->sendRequest(req);
  out << body;
  Poco::Net::HTTPResponse res;
  std::istream& in = session->receiveResponse(res);
  HttpReply reply;
  reply.status = res.getStatus();
  Poco::StreamCopier::copyToString(in, reply.body);
  for (const auto& [k, v] : res) reply.headers.emplace_back(lower(k), v);
  return reply;
}

std::string rawExchange(int port, const std::string& bytes, int timeoutMs) {
  Poco::Net::StreamSocket socket;
  socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  socket.setReceiveTimeout(Poco::Timespan(timeoutMs / 1000, (timeoutMs % 1000) * 1000));
  if (!bytes.empty()) socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
  std::string got;
  char buf[4096];
  try {
    int n;
    while ((n = socket.receiveBytes(buf, sizeof buf)) > 0) got.append(buf, static_cast<size_t>(n));
  } catch (const Poco::TimeoutException&) {
  } catch (const Poco::Net::ConnectionResetException&) {
  }
  return got;
}

HttpReply parseReply(const std::string& raw, std::string* rest) {
  HttpReply reply;
  const size_t headEnd = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || headEnd == std::string::npos) return reply;
  reply.status = std::atoi(raw.c_str() + 9);
  size_t lineStart = raw.find("\r\n") + 2;
  size_t contentLength = 0;
  while (lineStart < headEnd) {
    const size_t lineEnd = raw.find("\r\n", lineStart);
    const std::string line = raw.substr(lineStart, lineEnd - lineStart);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = lower(line.substr(0, colon));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      if (name == "content-length") contentLength = std::stoul(value);
      reply.headers.emplace_back(std::move(name), std::move(value));
    }
    lineStart = lineEnd + 2;
  }
  reply.body = raw.substr(headEnd + 4, contentLength);
  if (rest) *rest = raw.substr(std::min(raw.size(), headEnd + 4 + contentLength));
  return reply;
}

}  // namespace crow::test
