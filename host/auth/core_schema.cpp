#include "auth/core_schema.hpp"

namespace crow::host {

using crow::FieldType;

void declareCoreSchema(crow::SchemaBuilder& schema) {
  schema.table("user")
      .field("id", FieldType::Id).primaryKey()
      .field("name", FieldType::String).required()
      .field("email", FieldType::String).required().unique()
      .field("emailVerified", FieldType::Boolean).required().defaultValue(false).notInput()
      .field("image", FieldType::String)
      .field("createdAt", FieldType::Timestamp).required().notInput()
      .field("updatedAt", FieldType::Timestamp).required().notInput();

  schema.table("session")
      .field("id", FieldType::Id).primaryKey()
      .field("expiresAt", FieldType::Timestamp).required()
      .field("token", FieldType::String).required().unique()
      .field("createdAt", FieldType::Timestamp).required()
      .field("updatedAt", FieldType::Timestamp).required()
      .field("ipAddress", FieldType::String)
      .field("userAgent", FieldType::String)
      .field("userId", FieldType::Id).required().references("user", "id", crow::OnDelete::Cascade).index()
      // Better Auth's organization plugin adds this column; the reference server's database (and
      // CONTRACT.md §12) has it, so the core declares it and a fresh database matches byte for
      // byte. The organization plugin may declare it again the same way (optional, no reference).
      .field("activeOrganizationId", FieldType::String);

  schema.table("account")
      .field("id", FieldType::Id).primaryKey()
      .field("accountId", FieldType::String).required()
      .field("providerId", FieldType::String).required()
      .field("userId", FieldType::Id).required().references("user", "id", crow::OnDelete::Cascade).index()
      .field("accessToken", FieldType::String).notReturned()
      .field("refreshToken", FieldType::String).notReturned()
      .field("idToken", FieldType::String).notReturned()
      .field("accessTokenExpiresAt", FieldType::Timestamp).notReturned()
      .field("refreshTokenExpiresAt", FieldType::Timestamp).notReturned()
      .field("scope", FieldType::String)
      .field("password", FieldType::String).notReturned()
      .field("createdAt", FieldType::Timestamp).required()
      .field("updatedAt", FieldType::Timestamp).required();

  schema.table("verification")
      .field("id", FieldType::Id).primaryKey()
      .field("identifier", FieldType::String).required().index()
      .field("value", FieldType::String).required()
      .field("expiresAt", FieldType::Timestamp).required()
      .field("createdAt", FieldType::Timestamp).required()
      .field("updatedAt", FieldType::Timestamp).required();

  schema.table("jwks")
      .field("id", FieldType::Id).primaryKey()
      .field("publicKey", FieldType::String).required()
      .field("privateKey", FieldType::String).required().notReturned()
      .field("createdAt", FieldType::Timestamp).required()
      .field("expiresAt", FieldType::Timestamp)
      .field("alg", FieldType::String)
      .field("crv", FieldType::String);
}

}  // namespace crow::host
