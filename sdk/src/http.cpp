// Request and Response helpers shared by the host and every plugin: header and cookie lookup,
// query decoding, and the body parsing rules Better Auth applies (content type, JSON, forms).
#include "crow/http.hpp"

#include "crow/error.hpp"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace crow {

namespace {

// Deep nesting is refused before the parser builds (and later recursively frees) it.
constexpr std::size_t kMaxJsonDepth = 64;

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string urlDecode(std::string_view s, bool plusIsSpace) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+' && plusIsSpace) {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Calls fn(name, value) for each `name=value` pair separated by `sep`.
template <typename Fn>
void forEachPair(std::string_view text, char sep, Fn&& fn) {
  while (!text.empty()) {
    size_t end = text.find(sep);
    std::string_view part = text.substr(0, end);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      if (!fn(trim(part), std::string_view{})) return;
    } else if (!fn(trim(part.substr(0, eq)), trim(part.substr(eq + 1)))) {
      return;
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

const std::string* findHeader(const std::vector<std::pair<std::string, std::string>>& headers,
                              std::string_view name) noexcept {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return &v;
  return nullptr;
}

bool tryParseJson(const std::string& text, Poco::Dynamic::Var& out) {
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(kMaxJsonDepth);
    parser.setAllowNullByte(false);
    out = parser.parse(text);
    return true;
  } catch (const Poco::Exception&) {
    return false;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

std::string_view methodName(Method m) noexcept {
  switch (m) {
    case Method::Get: return "GET";
    case Method::Post: return "POST";
    case Method::Put: return "PUT";
    case Method::Patch: return "PATCH";
    case Method::Delete: return "DELETE";
  }
  return "GET";
}

std::optional<Method> parseMethod(std::string_view name) noexcept {
  if (name == "GET") return Method::Get;
  if (name == "POST") return Method::Post;
  if (name == "PUT") return Method::Put;
  if (name == "PATCH") return Method::Patch;
  if (name == "DELETE") return Method::Delete;
  return std::nullopt;
}

const std::string* Request::header(std::string_view name) const noexcept { return findHeader(headers, name); }

std::optional<std::string> Request::query(std::string_view name) const {
  std::optional<std::string> found;
  forEachPair(queryString, '&', [&](std::string_view k, std::string_view v) {
    if (urlDecode(k, true) == name) {
      found = urlDecode(v, true);
      return false;
    }
    return true;
  });
  return found;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  std::optional<std::string> found;
  for (const auto& [k, v] : headers) {
    if (k != "cookie") continue;
    forEachPair(v, ';', [&](std::string_view ck, std::string_view cv) {
      if (ck == name) {
        found = std::string(cv);
        return false;
      }
      return true;
    });
    if (found) break;
  }
  return found;
}

std::string Request::mediaType() const {
  const std::string* ct = header("content-type");
  if (!ct) return {};
  std::string_view v = trim(std::string_view(*ct).substr(0, ct->find(';')));
  std::string out(v);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

Poco::JSON::Object::Ptr Request::peekBody() const noexcept {
  try {
    const std::string type = mediaType();
    if (type == "application/json") return json(false);
    if (type == "application/x-www-form-urlencoded") {
      Request copy;
      copy.headers = {{"content-type", "application/x-www-form-urlencoded"}};
      copy.body = body;
      return copy.json(true);
    }
  } catch (...) {
    // Not readable: the route answers with its own error.
  }
  return nullptr;
}

Poco::JSON::Object::Ptr Request::json(bool allowForm) const {
  if (parsedJson_) return parsedJson_;
  const std::string allowed =
      allowForm ? "application/x-www-form-urlencoded, application/json" : "application/json";
  const std::string type = mediaType();
  if (type.empty())
    throw ApiError(400, "VALIDATION_ERROR", "Content-Type is required. Allowed types: " + allowed);
  if (allowForm && type == "application/x-www-form-urlencoded") {
    Poco::JSON::Object::Ptr form = new Poco::JSON::Object;
    forEachPair(body, '&', [&](std::string_view k, std::string_view v) {
      if (!k.empty()) form->set(urlDecode(k, true), urlDecode(v, true));
      return true;
    });
    parsedJson_ = form;
    return parsedJson_;
  }
  if (type != "application/json")
    throw ApiError(415, "UNSUPPORTED_MEDIA_TYPE",
                   "Content-Type \"" + *header("content-type") + "\" is not allowed. Allowed types: " + allowed);
  if (trim(body).empty())
    throw ApiError(400, "VALIDATION_ERROR", "[body] Invalid input: expected object, received undefined");
  Poco::Dynamic::Var parsed;
  if (!tryParseJson(body, parsed)) {
    // Poco refuses a bare scalar at the top level; JSON.parse accepts it and Better Auth then
    // says the body is not an object. Tell the two cases apart the same way.
    Poco::Dynamic::Var wrapped;
    if (tryParseJson("[" + body + "]", wrapped)) throw ApiError(400, "BODY_MUST_BE_AN_OBJECT", "Body must be an object");
    throw ApiError(400, "BAD_REQUEST", "Invalid JSON in request body");
  }
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
    throw ApiError(400, "BODY_MUST_BE_AN_OBJECT", "Body must be an object");
  parsedJson_ = parsed.extract<Poco::JSON::Object::Ptr>();
  return parsedJson_;
}

void Response::setHeader(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (iequals(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

void Response::addHeader(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }

const std::string* Response::header(std::string_view name) const noexcept { return findHeader(headers, name); }

void Response::json(const Poco::Dynamic::Var& value, int newStatus) {
  status = newStatus;
  contentType = "application/json";
  if (value.isEmpty()) {
    body = "null";
    return;
  }
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  body = out.str();
}

void Response::text(std::string newBody, int newStatus, std::string newContentType) {
  status = newStatus;
  body = std::move(newBody);
  contentType = std::move(newContentType);
}

std::string formatSetCookie(std::string_view name, std::string_view value, const CookieOptions& o) {
  std::string out;
  out.reserve(name.size() + value.size() + 80);
  out.append(name).append("=").append(value);
  if (o.maxAge) out.append("; Max-Age=").append(std::to_string(*o.maxAge));
  if (!o.domain.empty()) out.append("; Domain=").append(o.domain);
  if (!o.path.empty()) out.append("; Path=").append(o.path);
  if (o.httpOnly) out.append("; HttpOnly");
  if (o.secure) out.append("; Secure");
  if (!o.sameSite.empty()) out.append("; SameSite=").append(o.sameSite);
  return out;
}

}  // namespace crow
