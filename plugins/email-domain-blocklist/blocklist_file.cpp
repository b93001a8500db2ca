#include "blocklist_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace email_domain_blocklist {
namespace {

std::string_view trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

std::string readWholeFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec) throw BlocklistFileError(ec.message());
  if (fs::is_directory(status)) throw BlocklistFileError("is a directory, not a file");
  // Not a FIFO or a device: a read that never ends would hang start-up.
  if (!fs::is_regular_file(status)) throw BlocklistFileError("is not a regular file");
  const auto size = fs::file_size(path, ec);
  if (ec) throw BlocklistFileError(ec.message());
  if (size > kMaxBlocklistFileBytes) throw BlocklistFileError("is larger than 32 MiB");

  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw BlocklistFileError(errno != 0 ? std::strerror(errno) : "cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw BlocklistFileError(errno != 0 ? std::strerror(errno) : "read failed");
  return std::move(text).str();
}

}  // namespace

std::vector<FileEntry> readBlocklistFile(const std::string& path) {
  std::string text = readWholeFile(path);
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);

  std::vector<FileEntry> entries;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    std::string_view content = line;
    if (const auto hash = content.find('#'); hash != std::string_view::npos) content = content.substr(0, hash);
    content = trim(content);
    if (content.empty()) continue;
    entries.push_back({number, std::string(content)});
  }
  return entries;
}

}  // namespace email_domain_blocklist
