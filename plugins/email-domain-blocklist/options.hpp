// options.hpp - the plugin's `config:` block, read once at init, and the policy built from it.
#pragma once

#include "domain_matcher.hpp"

#include <crow/config.hpp>

#include <optional>
#include <string>
#include <vector>

namespace email_domain_blocklist {

/// Typed options. Every field has a default, so `config:` may be left out entirely (the built-in
/// list alone is then in force).
struct Options {
  /// Start from the built-in list of consumer providers (default_domains.cpp).
  bool useDefaultList = true;
  /// Extra block entries ("example.com", "name.*").
  std::vector<std::string> block;
  /// Entries that are never blocked, whatever the block entries say.
  std::vector<std::string> allow;
  /// A file of further block entries, one per line.
  std::optional<std::string> blockFile;

  /// Reads the block. Unknown keys and values of the wrong type stop start-up with a ConfigError
  /// naming the file, line and key (the ConfigNode does the wording).
  static Options read(const crow::ConfigNode& config);
};

/// Builds the block and allow lists: the built-in list (when on), `block`, the lines of
/// `blockFile`, and `allow`. An entry that is not a domain pattern, or a blockFile that cannot be
/// read, throws crow::ConfigError through `config.fail` naming the key, the entry (and the file and
/// line for blockFile) and the reason.
DomainPolicy buildPolicy(const Options& options, const crow::ConfigNode& config);

}  // namespace email_domain_blocklist
