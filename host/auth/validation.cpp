#include "auth/validation.hpp"

#include "crow/error.hpp"

#include <Poco/JSON/Array.h>

namespace crow::host {

namespace {

bool isAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isLocalChar(char c) { return isAlnum(c) || c == '_' || c == '\'' || c == '+' || c == '-'; }

// (?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]
bool isValidLocalPart(std::string_view local) {
  if (local.empty() || local.back() == '\'' || local.back() == '.') return false;
  size_t atomLength = 0;
  for (char c : local) {
    if (c == '.') {
      if (atomLength == 0) return false;
      atomLength = 0;
    } else if (isLocalChar(c)) {
      ++atomLength;
    } else {
      return false;
    }
  }
  return atomLength > 0;
}

// (?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}
bool isValidDomain(std::string_view domain) {
  const size_t lastDot = domain.rfind('.');
  if (lastDot == std::string_view::npos) return false;
  const std::string_view tld = domain.substr(lastDot + 1);
  if (tld.size() < 2) return false;
  for (char c : tld)
    if (!isAlpha(c)) return false;
  std::string_view labels = domain.substr(0, lastDot + 1);
  while (!labels.empty()) {
    const size_t dot = labels.find('.');
    const std::string_view label = labels.substr(0, dot);
    if (label.empty() || !isAlnum(label.front())) return false;
    for (char c : label)
      if (!isAlnum(c) && c != '-') return false;
    labels.remove_prefix(dot + 1);
  }
  return true;
}

}  // namespace

bool isValidEmail(std::string_view email) {
  if (email.empty() || email.size() > kMaxEmailLength) return false;
  const size_t at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) return false;
  return isValidLocalPart(email.substr(0, at)) && isValidDomain(email.substr(at + 1));
}

std::string lowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::size_t utf16Length(std::string_view utf8) {
  std::size_t units = 0;
  for (size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    size_t len = 1;
    if (b >= 0xf0 && b <= 0xf4)
      len = 4;
    else if (b >= 0xe0)
      len = 3;
    else if (b >= 0xc2 && b < 0xe0)
      len = 2;
    if (i + len > utf8.size()) len = 1;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(utf8[i + k]) & 0xc0) != 0x80) len = 1;
    units += len == 4 ? 2 : 1;  // characters beyond the BMP are surrogate pairs in JavaScript
    i += len;
  }
  return units;
}

std::string jsonTypeName(const Poco::Dynamic::Var& value) {
  if (value.isEmpty()) return "null";
  if (value.isString()) return "string";
  if (value.isBoolean()) return "boolean";
  if (value.type() == typeid(Poco::JSON::Object::Ptr) || value.type() == typeid(Poco::JSON::Object)) return "object";
  if (value.type() == typeid(Poco::JSON::Array::Ptr) || value.type() == typeid(Poco::JSON::Array)) return "array";
  if (value.isNumeric()) return "number";
  return "object";
}

BodyValidator::BodyValidator(Poco::JSON::Object::Ptr body, std::string scope)
    : body_(std::move(body)), scope_(std::move(scope)) {}

std::optional<Poco::Dynamic::Var> BodyValidator::value(const std::string& key) const {
  if (!body_ || !body_->has(key)) return std::nullopt;
  return body_->get(key);
}

void BodyValidator::issue(const std::string& key, const std::string& message) {
  issues_.push_back("[" + scope_ + "." + key + "] " + message);
}

std::optional<std::string> BodyValidator::requiredString(const std::string& key, bool nonEmpty) {
  auto v = value(key);
  if (!v) {
    issue(key, "Invalid input: expected string, received undefined");
    return std::nullopt;
  }
  if (!v->isString()) {
    issue(key, "Invalid input: expected string, received " + jsonTypeName(*v));
    return std::nullopt;
  }
  std::string text = v->extract<std::string>();
  if (nonEmpty && text.empty()) {
    issue(key, "Too small: expected string to have >=1 characters");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> BodyValidator::requiredEmail(const std::string& key) {
  auto text = requiredString(key);
  if (!text) return std::nullopt;
  if (!isValidEmail(*text)) {
    issue(key, "Invalid email address");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> BodyValidator::optionalString(const std::string& key) {
  auto v = value(key);
  if (!v) return std::nullopt;
  if (!v->isString()) {
    issue(key, "Invalid input: expected string, received " + jsonTypeName(*v));
    return std::nullopt;
  }
  return v->extract<std::string>();
}

std::optional<bool> BodyValidator::optionalBoolean(const std::string& key) {
  auto v = value(key);
  if (!v) return std::nullopt;
  if (!v->isBoolean()) {
    issue(key, "Invalid input: expected boolean, received " + jsonTypeName(*v));
    return std::nullopt;
  }
  return v->extract<bool>();
}

void BodyValidator::throwIfInvalid() const {
  if (issues_.empty()) return;
  std::string message;
  for (const auto& i : issues_) {
    if (!message.empty()) message += "; ";
    message += i;
  }
  throw crow::ApiError(400, "VALIDATION_ERROR", message);
}

bool isJsTruthy(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return false;
  if (v.isString()) return !v.extract<std::string>().empty();
  if (v.isBoolean()) return v.extract<bool>();
  if (v.isNumeric()) {
    try {
      return v.convert<double>() != 0.0;
    } catch (...) {
      return true;
    }
  }
  return true;
}

}  // namespace crow::host
