// config/suggest.hpp - "did you mean" for misspelt keys and names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crow::host {

/// The candidate closest to `word` when it is close enough to be a likely typo (same letters in
/// another case, one word starting with the other, or an edit distance of at most a third of the
/// word's length, at least 1).
std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string_view>& candidates);

/// " (did you mean \"port\"?)" or "" when nothing is close.
std::string didYouMean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace crow::host
