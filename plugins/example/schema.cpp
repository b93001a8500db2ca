// schema.cpp - the table the example plugin stores notes in. The host merges it with everyone
// else's declarations and the backend creates it (additively) before init runs.
#include "example.hpp"

namespace example {

void declareSchema(crow::SchemaBuilder& schema) {
  schema.table(kNoteTable)
      .field("id", crow::FieldType::Id).primaryKey()
      .field("text", crow::FieldType::String).required()
      // Optional: a column without required() may be left out of a create.
      .field("author", crow::FieldType::String).maxLength(64).index()
      // Set by the plugin, never by the client.
      .field("createdAt", crow::FieldType::Timestamp).required().notInput();
}

}  // namespace example
