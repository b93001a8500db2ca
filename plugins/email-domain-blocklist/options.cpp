#include "options.hpp"

#include "blocklist_file.hpp"
#include "default_domains.hpp"

#include <crow/error.hpp>

namespace email_domain_blocklist {
namespace {

std::vector<std::string> readList(const crow::ConfigNode& config, std::string_view key) {
  std::vector<std::string> entries;
  // Blank items are skipped, so `block: ${EXTRA_BLOCKED_DOMAINS}` may expand to nothing.
  for (std::string& entry : config.getStringList(key).value_or(std::vector<std::string>{}))
    if (entry.find_first_not_of(" \t") != std::string::npos) entries.push_back(std::move(entry));
  return entries;
}

void addAll(DomainSet& set, const std::vector<std::string>& entries, const crow::ConfigNode& config,
            std::string_view key) {
  for (const std::string& entry : entries)
    if (std::string error = set.add(entry); !error.empty())
      config.fail(key, "\"" + entry + "\" " + error);
}

}  // namespace

Options Options::read(const crow::ConfigNode& config) {
  config.allowOnly({"useDefaultList", "block", "allow", "blockFile"});
  Options options;
  options.useDefaultList = config.getBool("useDefaultList", options.useDefaultList);
  options.block = readList(config, "block");
  options.allow = readList(config, "allow");
  if (std::optional<std::string> file = config.getString("blockFile")) {
    if (file->empty()) config.fail("blockFile", "must not be empty (leave the key out to use no file)");
    options.blockFile = std::move(file);
  }
  return options;
}

DomainPolicy buildPolicy(const Options& options, const crow::ConfigNode& config) {
  DomainPolicy policy;
  if (options.useDefaultList)
    for (std::string_view entry : defaultBlockedDomains())
      if (std::string error = policy.blocked.add(entry); !error.empty())
        throw crow::ConfigError("built-in list entry \"" + std::string(entry) + "\" " + error);  // a bug in this plugin
  addAll(policy.blocked, options.block, config, "block");
  if (options.blockFile) {
    const std::string& path = *options.blockFile;
    std::vector<FileEntry> entries;
    try {
      entries = readBlocklistFile(path);
    } catch (const BlocklistFileError& e) {
      config.fail("blockFile", "cannot read \"" + path + "\": " + e.what());
    }
    for (const FileEntry& entry : entries) {
      std::string error = entry.text.find_first_of(" \t") != std::string::npos
                              ? "holds more than one word (one domain per line)"
                              : policy.blocked.add(entry.text);
      if (!error.empty())
        config.fail("blockFile", path + ":" + std::to_string(entry.line) + ": \"" + entry.text + "\" " + error);
    }
  }
  addAll(policy.allowed, options.allow, config, "allow");
  return policy;
}

}  // namespace email_domain_blocklist
