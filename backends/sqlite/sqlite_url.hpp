#pragma once

#include <string>

namespace crow::sqlite {

/// The file a `database.url` names: `sqlite:///abs/path.db` -> `/abs/path.db`,
/// `sqlite://relative/path.db` and `sqlite:relative/path.db` -> `relative/path.db`,
/// `sqlite::memory:` -> `:memory:`. Throws DatabaseError(Kind::Other) for anything else.
std::string databasePath(const std::string& url);

}  // namespace crow::sqlite
