#include "config/env_substitution.hpp"

#include <cstdlib>

namespace crow::host {

std::optional<std::string> processEnvironment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value) return std::nullopt;
  return std::string(value);
}

namespace {

// Defaults may nest (`${A:-${B:-x}}`); a bound keeps a hostile value from recursing forever.
constexpr int kMaxNesting = 8;

bool isNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool isNameChar(char c) { return isNameStart(c) || (c >= '0' && c <= '9'); }

class Expander {
 public:
  explicit Expander(const Getenv& getenv) : getenv_(getenv) {}

  // Expands text into out; returns false with error_ set on failure.
  bool expand(std::string_view text, std::string& out, int nesting) {
    if (nesting > kMaxNesting) return failWith("${...} defaults nest more than 8 deep");
    size_t i = 0;
    while (i < text.size()) {
      if (text.compare(i, 3, "$${") == 0) {
        out += "${";
        i += 3;
        continue;
      }
      if (text.compare(i, 2, "${") != 0) {
        out += text[i++];
        continue;
      }
      expanded_ = true;
      size_t close = matchingBrace(text, i + 2);
      if (close == std::string_view::npos)
        return failWith("unterminated \"${\" (write \"$${\" for a literal \"${\")");
      if (!expandExpression(text.substr(i + 2, close - i - 2), out, nesting)) return false;
      i = close + 1;
    }
    return true;
  }

  bool expanded() const { return expanded_; }
  const std::string& error() const { return error_; }

 private:
  // The index of the '}' closing a `${` whose body starts at `from`, skipping nested `${...}`.
  static size_t matchingBrace(std::string_view text, size_t from) {
    int depth = 0;
    for (size_t i = from; i < text.size(); ++i) {
      if (text.compare(i, 3, "$${") == 0) {
        i += 2;  // a literal "${" inside a default opens nothing
      } else if (text.compare(i, 2, "${") == 0) {
        ++depth;
        ++i;
      } else if (text[i] == '}') {
        if (depth == 0) return i;
        --depth;
      }
    }
    return std::string_view::npos;
  }

  bool expandExpression(std::string_view body, std::string& out, int nesting) {
    size_t n = 0;
    while (n < body.size() && isNameChar(body[n])) ++n;
    std::string name(body.substr(0, n));
    if (name.empty() || !isNameStart(name[0]))
      return failWith("invalid variable name in \"${" + std::string(body) + "}\"");
    std::string_view rest = body.substr(n);
    std::optional<std::string> value = getenv_(name);
    if (rest.empty()) {
      if (!value)
        return failWith("environment variable " + name + " is not set (write ${" + name +
                        ":-default} to give a default)");
      out += *value;
      return true;
    }
    if (rest.substr(0, 2) != ":-")
      return failWith("invalid \"${" + std::string(body) + "}\": expected ${" + name + "} or ${" + name +
                      ":-default}");
    if (value && !value->empty()) {
      out += *value;
      return true;
    }
    return expand(rest.substr(2), out, nesting + 1);
  }

  bool failWith(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  const Getenv& getenv_;
  bool expanded_ = false;
  std::string error_;
};

}  // namespace

Substitution substituteVariables(std::string_view text, const Getenv& getenv) {
  Substitution result;
  if (text.find('$') == std::string_view::npos) {
    result.value = std::string(text);
    return result;
  }
  Expander expander(getenv);
  std::string out;
  bool ok = expander.expand(text, out, 0);
  result.expanded = expander.expanded();
  if (ok)
    result.value = std::move(out);
  else
    result.error = expander.error();
  return result;
}

}  // namespace crow::host
