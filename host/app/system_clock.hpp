// The wall clock, as crow::Clock.
#pragma once

#include "crow/context.hpp"

#include <chrono>

namespace crow::host {

class SystemClock final : public crow::Clock {
 public:
  crow::Timestamp now() const noexcept override {
    using namespace std::chrono;
    return crow::Timestamp{duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count()};
  }
};

}  // namespace crow::host
