#include "plugins/descriptor_check.hpp"

#include "plugins/load_error.hpp"

#include <Poco/Version.h>

#include <cstring>

namespace crow::host {
namespace {

// Plugin strings are static data in the library; a bound keeps a missing terminator harmless.
constexpr size_t kMaxStringLength = 256;

std::string readString(const char* text) {
  if (text == nullptr) return {};
  return std::string(text, strnlen(text, kMaxStringLength));
}

// Makes a string from a plugin safe to print on one line.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 64)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (text.size() > 64) out += "...";
  return out;
}

std::string label(crow_library_kind expectedKind, const std::string& id, const std::string& path) {
  std::string word(kindWord(expectedKind));
  return id.empty() ? word + " " + path : word + " " + id + " (" + path + ")";
}

std::string abiText(uint32_t major, uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

}  // namespace

const char* hostBuildSignature() noexcept { return CROW_BUILD_SIGNATURE(POCO_VERSION); }

bool isWellFormedId(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64) return false;
  auto isLetter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!isLetter(id.front())) return false;
  for (char c : id)
    if (!(isLetter(c) || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

std::string_view kindWord(uint32_t kind) noexcept {
  switch (kind) {
    case CROW_KIND_PLUGIN: return "plugin";
    case CROW_KIND_BACKEND: return "backend";
    default: return "library";
  }
}

DescriptorInfo checkDescriptor(const crow_plugin_descriptor* d, const std::string& path,
                               crow_library_kind expectedKind) {
  if (d == nullptr)
    throw LoadError(label(expectedKind, {}, path) + ": " CROW_ENTRY_SYMBOL " returned no descriptor");
  if (d->struct_size < kMinimalDescriptorSize)
    throw LoadError(label(expectedKind, {}, path) + ": descriptor is " + std::to_string(d->struct_size) +
                    " bytes, this host needs at least " + std::to_string(kMinimalDescriptorSize) +
                    " (built against an incompatible SDK)");

  // The id names the library in every later message, but only once it is known to be sane.
  const std::string rawId = readString(d->id);
  const std::string shownId = isWellFormedId(rawId) ? rawId : std::string();
  const std::string who = label(expectedKind, shownId, path);

  if (d->kind != static_cast<uint32_t>(expectedKind))
    throw LoadError(who + ": is a " + std::string(kindWord(d->kind)) + " library (kind " +
                    std::to_string(d->kind) + "), expected a " + std::string(kindWord(expectedKind)));
  if (d->abi_major != CROW_SDK_ABI_MAJOR || d->abi_minor > CROW_SDK_ABI_MINOR)
    throw LoadError(who + ": built for SDK ABI " + abiText(d->abi_major, d->abi_minor) + ", this host has " +
                    abiText(CROW_SDK_ABI_MAJOR, CROW_SDK_ABI_MINOR));
  const std::string signature = readString(d->build_signature);
  if (signature != hostBuildSignature())
    throw LoadError(who + ": built with '" + printable(signature) + "', this host expects '" +
                    hostBuildSignature() + "'");

  if (rawId.empty()) throw LoadError(who + ": descriptor has no id");
  if (shownId.empty())
    throw LoadError(who + ": invalid id '" + printable(rawId) +
                    "' (a letter, then letters, digits, '-' or '_', at most 64 characters)");
  DescriptorInfo info;
  info.id = rawId;
  info.kind = d->kind;
  info.version = readString(d->version);
  if (info.version.empty()) throw LoadError(who + ": descriptor has no version");
  if (info.version != printable(info.version))
    throw LoadError(who + ": invalid version '" + printable(info.version) + "'");
  if (d->depends_on != nullptr) {
    for (size_t i = 0; d->depends_on[i] != nullptr; ++i) {
      if (i == kMaxDependencies)
        throw LoadError(who + ": more than " + std::to_string(kMaxDependencies) + " depends_on entries");
      std::string dependency = readString(d->depends_on[i]);
      if (!isWellFormedId(dependency))
        throw LoadError(who + ": invalid depends_on entry '" + printable(dependency) + "'");
      info.dependsOn.push_back(std::move(dependency));
    }
  }
  if (d->create == nullptr) throw LoadError(who + ": descriptor has no create function");
  return info;
}

}  // namespace crow::host
