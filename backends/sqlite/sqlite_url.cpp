#include "sqlite_url.hpp"

#include "crow/error.hpp"

namespace crow::sqlite {

std::string databasePath(const std::string& url) {
  std::string rest;
  if (url.rfind("sqlite://", 0) == 0) rest = url.substr(9);
  else if (url.rfind("sqlite:", 0) == 0) rest = url.substr(7);
  else throw DatabaseError(DatabaseError::Kind::Other, "not a SQLite URL (expected sqlite:///path.db): " + url);
  if (auto query = rest.find('?'); query != std::string::npos) rest.erase(query);
  if (rest.empty()) throw DatabaseError(DatabaseError::Kind::Other, "the SQLite URL names no file: " + url);
  return rest;
}

}  // namespace crow::sqlite
