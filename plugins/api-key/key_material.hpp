// key_material.hpp - making an API key and the hash it is stored and looked up by.
#pragma once

#include <string>
#include <string_view>

namespace apikey {

/// `prefix` + `length` letters [a-zA-Z] from OpenSSL's CSPRNG (rejection sampling, so each letter
/// is uniform). Throws std::runtime_error when the CSPRNG fails.
std::string generateKey(std::string_view prefix, size_t length);

/// base64url without padding of SHA-256 over the key's bytes (43 characters): the `key` column.
std::string hashKey(std::string_view key);

/// The first 6 characters of a full key (the `start` column; includes the prefix).
std::string startOf(std::string_view key);

}  // namespace apikey
