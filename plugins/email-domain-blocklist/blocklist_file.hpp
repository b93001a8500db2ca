// blocklist_file.hpp - reads the operator's `blockFile`: one domain pattern per line.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace email_domain_blocklist {

/// One pattern and the line it came from (1-based), for error messages.
struct FileEntry {
  int line = 0;
  std::string text;
};

/// Why a blockFile could not be read: the message is the reason only ("No such file or
/// directory"); the caller names the file.
class BlocklistFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The largest blockFile read (a file this size holds hundreds of thousands of domains).
inline constexpr std::size_t kMaxBlocklistFileBytes = 32 * 1024 * 1024;

/// Reads `path` (UTF-8, optional BOM, LF or CRLF line ends). On each line, '#' starts a comment
/// and surrounding blanks are dropped; blank lines are skipped. What is left of a line is one
/// entry, unchecked (the caller checks it). Throws BlocklistFileError when the file is missing,
/// unreadable, not a regular file or too large.
std::vector<FileEntry> readBlocklistFile(const std::string& path);

}  // namespace email_domain_blocklist
