/*
 * crow/abi.h - the fixed C layout at the front of every plugin and backend library.
 *
 * The host reads this descriptor before it runs any C++ code in a library, and refuses the
 * library when the ABI version or the build signature differ from its own. Only C types appear
 * here so that the check itself cannot be broken by a toolchain mismatch.
 *
 * Rules: fields are append-only; struct_size lets an older host read a newer descriptor.
 */
#ifndef CROW_ABI_H
#define CROW_ABI_H

#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
/* Any libstdc++ header defines _GLIBCXX_USE_CXX11_ABI, which CROW_CXX11_ABI reads below: without
 * this, the signature would depend on whether a file includes abi.h before or after <string>. */
#include <cstddef>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* A plugin built against ABI major M, minor m loads into a host with the same M and a minor >= m. */
#define CROW_SDK_ABI_MAJOR 1
#define CROW_SDK_ABI_MINOR 0
#define CROW_SDK_VERSION "0.1.0"

/* The one exported symbol of every plugin or backend library. */
#define CROW_ENTRY_SYMBOL "crow_plugin_entry"

#define CROW_STRINGIFY_INNER(x) #x
#define CROW_STRINGIFY(x) CROW_STRINGIFY_INNER(x)

/*
 * What the C++ side must agree on for objects to cross the boundary safely: compiler family and
 * major version, the libstdc++ dual ABI flag, the Poco version (the SDK exposes Poco JSON types)
 * and the SDK version. Host and library compute it from the same macro, each at its own build.
 */
#if defined(__clang__)
#define CROW_COMPILER_ID "clang-" CROW_STRINGIFY(__clang_major__)
#elif defined(__GNUC__)
#define CROW_COMPILER_ID "gcc-" CROW_STRINGIFY(__GNUC__)
#else
#define CROW_COMPILER_ID "unknown"
#endif
#ifndef _GLIBCXX_USE_CXX11_ABI
#define CROW_CXX11_ABI "?"
#else
#define CROW_CXX11_ABI CROW_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)
#endif
/* POCO_VERSION comes from Poco/Version.h; crow/plugin.hpp includes it before expanding this. */
#define CROW_BUILD_SIGNATURE(poco_version)                                                      \
  CROW_COMPILER_ID ";cxx11abi=" CROW_CXX11_ABI ";poco=" CROW_STRINGIFY(poco_version)            \
                   ";sdk=" CROW_SDK_VERSION

/* What kind of library a descriptor describes. */
enum crow_library_kind { CROW_KIND_PLUGIN = 1, CROW_KIND_BACKEND = 2 };

typedef struct crow_plugin_descriptor {
  uint32_t struct_size;        /* sizeof(crow_plugin_descriptor) as the library compiled it */
  uint16_t abi_major;          /* CROW_SDK_ABI_MAJOR at the library's build */
  uint16_t abi_minor;          /* CROW_SDK_ABI_MINOR at the library's build */
  uint32_t kind;               /* enum crow_library_kind */
  const char* build_signature; /* CROW_BUILD_SIGNATURE at the library's build */
  const char* id;              /* plugin id ("organization") or backend dialect ("sqlite") */
  const char* version;         /* the library's own semver */
  const char* const* depends_on; /* NULL-terminated list of plugin ids that must init first */
  /* Creates the library's object: a crow::Plugin* or a crow::Backend*. Called only after the
   * checks above passed. Owned by the host, never freed (libraries are never unloaded). */
  void* (*create)(void);
} crow_plugin_descriptor;

typedef const crow_plugin_descriptor* (*crow_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* CROW_ABI_H */
