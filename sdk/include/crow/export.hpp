// crow/export.hpp - the exported entry function shared by CROW_PLUGIN and CROW_BACKEND.
// Internal to the SDK: use those two macros, not this one.
#pragma once

#include "crow/abi.h"

#include <Poco/Version.h>

// Emits `crow_plugin_entry`, the library's only exported symbol. It returns static data; the
// object itself is made by `create` only after the host accepted the descriptor.
#define CROW_DESCRIPTOR_EXPORT_(KIND, CLASS, BASE, ID, VERSION, ...)                             \
  extern "C" __attribute__((visibility("default"))) const crow_plugin_descriptor*                \
  crow_plugin_entry(void) {                                                                      \
    static const char* const dependsOn[] = {__VA_ARGS__ __VA_OPT__(, ) nullptr};                 \
    static const crow_plugin_descriptor descriptor = {                                           \
        sizeof(crow_plugin_descriptor),                                                          \
        CROW_SDK_ABI_MAJOR,                                                                      \
        CROW_SDK_ABI_MINOR,                                                                      \
        KIND,                                                                                    \
        CROW_BUILD_SIGNATURE(POCO_VERSION),                                                      \
        ID,                                                                                      \
        VERSION,                                                                                 \
        dependsOn,                                                                               \
        []() -> void* { return static_cast<BASE*>(new CLASS()); }};                              \
    return &descriptor;                                                                          \
  }

