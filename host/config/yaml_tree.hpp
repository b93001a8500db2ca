// config/yaml_tree.hpp - a YAML document as plain owned values, built from yaml-cpp's parse events.
//
// This tree is what every reader works on: it owns its data (so ConfigNodes handed to plugins stay
// valid after loading), aliases share the anchored value but their expanded size counts against a
// value budget (so "billion laughs" input is refused), nesting is bounded, duplicate keys are
// refused, and `${VAR}` substitution has been applied to every scalar with the line and column
// kept for error messages. It is immutable once built, so any thread may read it.
#pragma once

#include "config/env_substitution.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace crow::host {

struct YamlValue;

/// One `key: value` of a mapping, in file order.
struct YamlEntry {
  std::string key;
  int line = 0;  ///< 1-based line of the key
  std::shared_ptr<const YamlValue> value;
};

struct YamlValue {
  enum class Kind { Null, Scalar, Sequence, Mapping };
  Kind kind = Kind::Null;
  int line = 0;    ///< 1-based
  int column = 0;  ///< 1-based
  /// Scalar: the text after substitution.
  std::string text;
  /// Scalar: the text as written, for messages such as `got "abc" (from ${PORT})`.
  std::string raw;
  /// Scalar: the text held `${...}`.
  bool expanded = false;
  /// Scalar: written quoted ('...' or "...") or as a block scalar, so "" is a deliberate value.
  bool quoted = false;
  /// Scalar: why substitution failed (no location); the value is unusable when set.
  std::string substitutionError;
  std::vector<std::shared_ptr<const YamlValue>> items;  ///< Sequence
  std::vector<YamlEntry> entries;                       ///< Mapping

  /// Null, an unquoted empty scalar, or one that `${VAR:-}` made empty: "not set".
  bool isUnset() const;
  /// The entry for `key`, or nullptr.
  const YamlEntry* find(std::string_view key) const;
};

/// A parsed file: the root value and the name used in messages.
struct YamlDocument {
  std::string sourceName;
  std::shared_ptr<const YamlValue> root;  ///< never null; Null for an empty document
};

struct YamlLimits {
  size_t maxBytes = 4u << 20;  ///< config files are a few KB; anything this big is a mistake
  int maxDepth = 64;
  size_t maxNodes = 100000;    ///< after alias expansion
};

/// Parses `text`. Throws crow::ConfigError with one line:
///   "<source>:<line>:<col>: invalid YAML: <reason>"   (syntax, binary content, bad UTF-8)
///   "<source>: file is too large (N bytes; the limit is M)"
///   "<source>:<line>: <key.path>: nesting deeper than 64 levels" / "duplicate key ..."
/// Substitution errors are not thrown here; they are kept on the scalar (see substitutionError)
/// so a value nobody reads (a disabled plugin's block) cannot stop start-up.
std::shared_ptr<const YamlDocument> parseYamlDocument(const std::string& text, const std::string& sourceName,
                                                      const Getenv& getenv, const YamlLimits& limits = {});

/// Throws the first substitution error below `value` as "<source>:<line>: <path>: <error>".
void throwFirstSubstitutionError(const YamlDocument& document, const YamlValue& value, const std::string& path);

/// "file:line", or "file" when the line is unknown (0).
std::string sourceLocation(const std::string& sourceName, int line);

}  // namespace crow::host
