#include "config/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace crow::host {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Edit distance where swapping two neighbouring letters ("prot" for "port") costs one edit.
size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// "warning" for "warn", "plugin" for "plugins": one word starts with the other.
bool isPrefixMatch(const std::string& word, const std::string& candidate) {
  const std::string& shorter = word.size() < candidate.size() ? word : candidate;
  const std::string& longer = word.size() < candidate.size() ? candidate : word;
  return shorter.size() >= 3 && longer.compare(0, shorter.size(), shorter) == 0;
}

}  // namespace

std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string_view>& candidates) {
  // Keys are short; anything long is not a typo of one and is not worth the quadratic cost.
  if (word.empty() || word.size() > 64) return std::nullopt;
  const std::string needle = lower(word);
  const size_t allowed = std::max<size_t>(1, word.size() / 3);
  std::optional<std::string> best;
  size_t bestDistance = allowed + 1;
  for (std::string_view candidate : candidates) {
    std::string lowered = lower(candidate);
    size_t distance = isPrefixMatch(needle, lowered) ? 1 : editDistance(needle, lowered);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = std::string(candidate);
    }
  }
  return best;
}

std::string didYouMean(std::string_view word, const std::vector<std::string_view>& candidates) {
  auto match = closestMatch(word, candidates);
  return match ? " (did you mean \"" + *match + "\"?)" : std::string();
}

}  // namespace crow::host
