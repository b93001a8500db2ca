// plugins/descriptor_check.hpp - the checks a library's descriptor must pass before the host runs
// any C++ code in it.
#pragma once

#include "crow/abi.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crow::host {

/// The smallest descriptor this host can read: every field up to `create`. Fields appended by a
/// later SDK minor make a descriptor larger, never smaller, so this floor stays where it is.
inline constexpr uint32_t kMinimalDescriptorSize =
    offsetof(crow_plugin_descriptor, create) + sizeof(crow_plugin_descriptor::create);

/// At most this many depends_on entries are read, so a list missing its NULL cannot run away.
inline constexpr size_t kMaxDependencies = 64;

/// What the host copies out of an accepted descriptor (plugin strings are copied, never kept).
struct DescriptorInfo {
  std::string id;
  std::string version;
  std::vector<std::string> dependsOn;
  uint32_t kind = 0;
};

/// The signature this host was built with; a library must carry exactly the same string.
const char* hostBuildSignature() noexcept;

/// Ids name files (`<id>.so`) and YAML entries: a letter, then letters, digits, '-' or '_', at
/// most 64 characters.
bool isWellFormedId(std::string_view id) noexcept;

/// "plugin" or "backend": the word error messages start with.
std::string_view kindWord(uint32_t kind) noexcept;

/// Checks, in this order: the descriptor exists, struct_size covers what this host reads, the kind
/// is `expectedKind`, the ABI major is equal and the minor not newer than the host's, the build
/// signature equals the host's, then id, version, depends_on and create are present and well
/// formed. Throws LoadError with a one-line message naming `path` (and the id once readable).
/// Reads only static data: nothing in the library runs.
DescriptorInfo checkDescriptor(const crow_plugin_descriptor* descriptor, const std::string& path,
                               crow_library_kind expectedKind);

}  // namespace crow::host
