// options.hpp - the example plugin's `config:` block, read once at init.
#pragma once

#include <crow/config.hpp>

#include <cstdint>
#include <string>

namespace example {

/// Typed options. Every field has a default, so `config:` may be left out entirely.
struct Options {
  /// The word GET /example/hello/:name greets with.
  std::string greeting = "Hello";
  /// The longest note text accepted, in bytes.
  int64_t maxNoteLength = 500;
  /// The request header that makes the before-hook reject a request (lower-case).
  std::string blockHeader = "x-example-block";

  /// Reads and validates the block. Unknown keys and bad values stop start-up with a ConfigError
  /// naming the file, line and key (the ConfigNode does the wording).
  static Options read(const crow::ConfigNode& config) {
    config.allowOnly({"greeting", "maxNoteLength", "blockHeader"});
    Options options;
    options.greeting = config.getString("greeting", options.greeting);
    if (options.greeting.empty()) config.fail("greeting", "must not be empty");
    options.maxNoteLength = config.getInt("maxNoteLength", options.maxNoteLength);
    if (options.maxNoteLength < 1 || options.maxNoteLength > 10000)
      config.fail("maxNoteLength", "must be between 1 and 10000");
    options.blockHeader = config.getString("blockHeader", options.blockHeader);
    if (options.blockHeader.empty()) config.fail("blockHeader", "must not be empty");
    for (char& c : options.blockHeader)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return options;
  }
};

}  // namespace example
