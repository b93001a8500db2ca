// Merges the tables the core and each plugin declare into one schema.
//
// Rules (checked when a declaration is added, so start-up fails on the first conflict):
//  - a table is created by one owner; another owner may only `extend` it;
//  - a column declared twice must agree on type and constraints (Id and String count as the same
//    type: both are text everywhere, and Better Auth types ids as strings);
//  - a column a plugin adds to another owner's table must be optional or have a default, since
//    rows that already exist have no value for it.
// Each failure is a crow::ConfigError with one line naming both owners, the table and the column.
#pragma once

#include "crow/schema.hpp"

#include <string>
#include <vector>

namespace crow::host {

class SchemaRegistry {
 public:
  /// Adds `owner`'s declarations ("core" or a plugin id). Throws crow::ConfigError on a conflict
  /// with what was added before.
  void add(const std::string& owner, const std::vector<crow::TableDecl>& tables);
  /// The merged schema: tables in the order they were first declared, extension columns after
  /// the owner's columns (FieldDecl::owner names the extending owner). Throws crow::ConfigError
  /// when a table was extended but never declared.
  std::vector<crow::TableDecl> merged() const;

 private:
  struct PendingExtension {
    std::string owner;
    crow::TableDecl table;
  };
  void extend(const std::string& owner, const crow::TableDecl& extension, bool deferIfMissing);
  crow::TableDecl* find(const std::string& name);

  std::vector<crow::TableDecl> tables_;
  // Extensions of tables nobody has declared yet (the owner may be added later).
  std::vector<PendingExtension> pending_;
};

}  // namespace crow::host
