#include "config/yaml_tree.hpp"

#include "crow/error.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

namespace crow::host {

std::string sourceLocation(const std::string& sourceName, int line) {
  return line > 0 ? sourceName + ":" + std::to_string(line) : sourceName;
}

bool YamlValue::isUnset() const {
  if (kind == Kind::Null) return true;
  return kind == Kind::Scalar && text.empty() && substitutionError.empty() && (!quoted || expanded);
}

const YamlEntry* YamlValue::find(std::string_view key) const {
  for (const auto& entry : entries)
    if (entry.key == key) return &entry;
  return nullptr;
}

namespace {

[[noreturn]] void invalidYaml(const std::string& source, int line, int column, const std::string& reason) {
  throw crow::ConfigError(source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                          ": invalid YAML: " + reason);
}

// yaml-cpp reads NULs and arbitrary bytes as text; a config file holding them is not a config file.
void checkTextIsPrintableUtf8(const std::string& text, const std::string& source) {
  int line = 1, column = 1;
  size_t i = (text.compare(0, 3, "\xEF\xBB\xBF") == 0) ? 3 : 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", c);
        invalidYaml(source, line, column, std::string("control character ") + hex + " (is this a binary file?)");
      }
      if (c == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
      ++i;
      continue;
    }
    size_t length = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    bool valid = length != 0 && i + length <= text.size() && c != 0xC0 && c != 0xC1 && c <= 0xF4;
    for (size_t k = 1; valid && k < length; ++k)
      valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (!valid) invalidYaml(source, line, column, "not valid UTF-8 (is this a binary file?)");
    i += length;
    ++column;
  }
}

std::string lineText(const std::string& text, int zeroBasedLine) {
  size_t start = 0;
  for (int l = 0; l < zeroBasedLine; ++l) {
    start = text.find('\n', start);
    if (start == std::string::npos) return {};
    ++start;
  }
  size_t end = text.find('\n', start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool indentedWithTab(const std::string& line) {
  for (char c : line) {
    if (c == '\t') return true;
    if (c != ' ') return false;
  }
  return false;
}

// yaml-cpp's messages are terse ("illegal map value"); the commonest cause deserves a hint.
std::string describeParserError(const YAML::ParserException& e, const std::string& text) {
  std::string reason = e.msg;
  for (int l = e.mark.line; l >= 0 && l >= e.mark.line - 1; --l) {
    if (indentedWithTab(lineText(text, l))) {
      reason += " (line " + std::to_string(l + 1) + " is indented with a tab; YAML needs spaces)";
      break;
    }
  }
  return reason;
}

// yaml-cpp 0.7 accepts a quoted scalar left open at the end of the input; find its closing quote.
bool quotedScalarIsClosed(const std::string& text, size_t start) {
  if (start >= text.size()) return true;
  char quote = text[start];
  if (quote != '"' && quote != '\'') return true;  // a block scalar (| or >) or a tagged value
  for (size_t i = start + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;
        continue;
      }
      return true;
    }
  }
  return false;
}

// Builds YamlValues straight from yaml-cpp's parse events. Going through YAML::Node instead would
// copy every alias (exponential on "billion laughs" input) and, through YAML::LoadAll, loops forever
// on a stray top-level ',' (yaml-cpp 0.7). Aliases here share the anchored value; their expanded
// size and depth still count against the limits, so every later walk of the tree is bounded.
class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& text, const std::string& source, const Getenv& getenv, const YamlLimits& limits)
      : text_(text), source_(source), getenv_(getenv), limits_(limits) {}

  std::shared_ptr<const YamlValue> root() const { return root_; }
  const YAML::Mark& documentStart() const { return documentStart_; }

  void OnDocumentStart(const YAML::Mark& mark) override { documentStart_ = mark; }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (inKeyPosition()) fail(mark, childPath(), "keys must be plain names");
    count(mark, 1);
    auto value = newValue(mark, YamlValue::Kind::Null);
    // yaml-cpp marks a missing value (`key:`) at the next token; the key's line is the useful one.
    if (!stack_.empty() && stack_.back().value->kind == YamlValue::Kind::Mapping) value->line = stack_.back().keyLine;
    finish(value, anchor, 1, 0);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (inKeyPosition()) fail(mark, childPath(), "keys must be plain names");
    auto target = anchors_.find(anchor);
    if (target == anchors_.end()) fail(mark, childPath(), "an alias may not refer to a value that contains it");
    count(mark, target->second.weight);
    checkDepth(mark, static_cast<int>(stack_.size()) + target->second.height);
    attach(target->second.value, target->second.weight, target->second.height);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& text) override {
    count(mark, 1);
    checkDepth(mark, static_cast<int>(stack_.size()));
    const bool quoted = tag != "?";
    if (quoted && !quotedScalarIsClosed(text_, static_cast<size_t>(mark.pos)))
      invalidYaml(source_, mark.line + 1, mark.column + 1, "unclosed quoted string");
    if (inKeyPosition()) {
      setKey(mark, text);
      return;
    }
    auto value = newValue(mark, YamlValue::Kind::Scalar);
    value->raw = text;
    value->quoted = quoted;
    Substitution substitution = substituteVariables(text, getenv_);
    value->text = std::move(substitution.value);
    value->expanded = substitution.expanded;
    value->substitutionError = std::move(substitution.error);
    finish(value, anchor, 1, 0);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, YamlValue::Kind::Sequence, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, YamlValue::Kind::Mapping, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    std::shared_ptr<YamlValue> value;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::string path;
    bool haveKey = false;  // a mapping between a key and its value
    std::string key;
    int keyLine = 0;
    size_t weight = 1;  // values below, aliases expanded, this one included
    int height = 0;     // levels below
  };

  struct Anchored {
    std::shared_ptr<const YamlValue> value;
    size_t weight = 1;
    int height = 0;
  };

  bool inKeyPosition() const {
    return !stack_.empty() && stack_.back().value->kind == YamlValue::Kind::Mapping && !stack_.back().haveKey;
  }

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  // The key path of the value about to be added.
  std::string childPath() const {
    if (stack_.empty()) return "(top level)";
    const Frame& top = stack_.back();
    if (top.value->kind == YamlValue::Kind::Sequence)
      return (top.path.empty() ? std::string("(top level)") : top.path) + "[" + std::to_string(top.value->items.size()) + "]";
    if (top.haveKey) return join(top.path, top.key);
    return top.path.empty() ? std::string("(top level)") : top.path;
  }

  std::shared_ptr<YamlValue> newValue(const YAML::Mark& mark, YamlValue::Kind kind) const {
    auto value = std::make_shared<YamlValue>();
    value->kind = kind;
    value->line = mark.line + 1;
    value->column = mark.column + 1;
    return value;
  }

  void count(const YAML::Mark& mark, size_t nodes) {
    nodes_ += nodes;
    if (nodes_ > limits_.maxNodes)
      fail(mark, childPath(), "more than " + std::to_string(limits_.maxNodes) + " values (an alias expanding too far?)");
  }

  void checkDepth(const YAML::Mark& mark, int depth) {
    if (depth > limits_.maxDepth)
      fail(mark, childPath(), "nesting deeper than " + std::to_string(limits_.maxDepth) + " levels");
  }

  void setKey(const YAML::Mark& mark, const std::string& key) {
    Frame& top = stack_.back();
    if (const YamlEntry* first = top.value->find(key))
      fail(mark, join(top.path, key), "duplicate key (first at line " + std::to_string(first->line) + ")");
    top.haveKey = true;
    top.key = key;
    top.keyLine = mark.line + 1;
  }

  void open(const YAML::Mark& mark, YamlValue::Kind kind, YAML::anchor_t anchor) {
    if (inKeyPosition()) fail(mark, childPath(), "keys must be plain names");
    count(mark, 1);
    checkDepth(mark, static_cast<int>(stack_.size()));
    Frame frame;
    frame.path = stack_.empty() ? std::string() : childPath();
    frame.value = newValue(mark, kind);
    frame.anchor = anchor;
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    finish(frame.value, frame.anchor, frame.weight, frame.height);
  }

  void finish(const std::shared_ptr<YamlValue>& value, YAML::anchor_t anchor, size_t weight, int height) {
    if (anchor != YAML::NullAnchor) anchors_[anchor] = Anchored{value, weight, height};
    attach(value, weight, height);
  }

  void attach(const std::shared_ptr<const YamlValue>& value, size_t weight, int height) {
    if (stack_.empty()) {
      root_ = value;
      return;
    }
    Frame& top = stack_.back();
    top.weight += weight;
    top.height = std::max(top.height, height + 1);
    if (top.value->kind == YamlValue::Kind::Sequence) {
      top.value->items.push_back(value);
      return;
    }
    top.value->entries.push_back(YamlEntry{top.key, top.keyLine, value});
    top.haveKey = false;
  }

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& path, const std::string& message) const {
    throw crow::ConfigError(sourceLocation(source_, mark.line + 1) + ": " + path + ": " + message);
  }

  const std::string& text_;
  const std::string& source_;
  const Getenv& getenv_;
  const YamlLimits& limits_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  std::shared_ptr<const YamlValue> root_;
  YAML::Mark documentStart_;
  size_t nodes_ = 0;
};

// Notes where a further document starts and ignores its content.
class DocumentProbe final : public YAML::EventHandler {
 public:
  YAML::Mark start;
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

std::shared_ptr<const YamlDocument> parseYamlDocument(const std::string& text, const std::string& sourceName,
                                                      const Getenv& getenv, const YamlLimits& limits) {
  if (text.size() > limits.maxBytes)
    throw crow::ConfigError(sourceName + ": file is too large (" + std::to_string(text.size()) +
                            " bytes; the limit is " + std::to_string(limits.maxBytes) + ")");
  checkTextIsPrintableUtf8(text, sourceName);

  auto document = std::make_shared<YamlDocument>();
  document->sourceName = sourceName;
  std::istringstream stream(text);
  TreeBuilder builder(text, sourceName, getenv, limits);
  try {
    YAML::Parser parser(stream);
    bool found = parser.HandleNextDocument(builder);
    DocumentProbe probe;
    if (found && parser.HandleNextDocument(probe)) {
      // The parser handing out a second document at the very spot of the first is yaml-cpp stuck
      // on a token it cannot place (a stray ','); anything else is a real "---" document.
      if (probe.start.pos == builder.documentStart().pos) {
        size_t pos = static_cast<size_t>(probe.start.pos);
        std::string token = pos < text.size() ? std::string(1, text[pos]) : std::string("end of file");
        invalidYaml(sourceName, probe.start.line + 1, probe.start.column + 1, "unexpected \"" + token + "\"");
      }
      throw crow::ConfigError(sourceLocation(sourceName, probe.start.line + 1) +
                              ": expected one YAML document, found more (remove the \"---\" separator)");
    }
  } catch (const YAML::DeepRecursion& e) {
    invalidYaml(sourceName, e.mark.line + 1, e.mark.column + 1,
                "nesting deeper than " + std::to_string(limits.maxDepth) + " levels");
  } catch (const YAML::ParserException& e) {
    invalidYaml(sourceName, e.mark.line + 1, e.mark.column + 1, describeParserError(e, text));
  } catch (const YAML::Exception& e) {
    invalidYaml(sourceName, e.mark.line + 1, e.mark.column + 1, e.msg);
  }

  document->root = builder.root();
  if (!document->root) {
    auto empty = std::make_shared<YamlValue>();
    empty->line = 1;
    empty->column = 1;
    document->root = empty;
  }
  return document;
}

void throwFirstSubstitutionError(const YamlDocument& document, const YamlValue& value, const std::string& path) {
  switch (value.kind) {
    case YamlValue::Kind::Scalar:
      if (!value.substitutionError.empty())
        throw crow::ConfigError(sourceLocation(document.sourceName, value.line) + ": " + path + ": " +
                                value.substitutionError);
      break;
    case YamlValue::Kind::Sequence:
      for (size_t i = 0; i < value.items.size(); ++i)
        throwFirstSubstitutionError(document, *value.items[i], path + "[" + std::to_string(i) + "]");
      break;
    case YamlValue::Kind::Mapping:
      for (const auto& entry : value.entries)
        throwFirstSubstitutionError(document, *entry.value, path.empty() ? entry.key : path + "." + entry.key);
      break;
    case YamlValue::Kind::Null:
      break;
  }
}

}  // namespace crow::host
