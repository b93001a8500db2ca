// Key functions of the SDK's interfaces: one home for each vtable and typeinfo.
#include "crow/backend.hpp"
#include "crow/config.hpp"
#include "crow/context.hpp"
#include "crow/hooks.hpp"
#include "crow/log.hpp"
#include "crow/plugin.hpp"
#include "crow/sessions.hpp"
#include "crow/store.hpp"
#include "crow/tokens.hpp"

namespace crow {

Store::~Store() = default;

std::optional<JoinedRow> Store::findOneJoined(const std::string& table, const std::vector<Where>& where,
                                              const std::string& foreignKey, const std::string& joinTable,
                                              const std::string& joinField) {
  auto row = findOne(table, where);
  if (!row) return std::nullopt;
  const Value& key = field(*row, foreignKey);
  if (isNull(key)) return std::nullopt;
  auto joined = findOne(joinTable, {eq(joinField, key)});
  if (!joined) return std::nullopt;
  return JoinedRow{std::move(*row), std::move(*joined)};
}
Logger::~Logger() = default;
Clock::~Clock() = default;
InitContext::~InitContext() = default;
Sessions::~Sessions() = default;
TokenSigner::~TokenSigner() = default;
Plugin::~Plugin() = default;
Backend::~Backend() = default;

std::string_view hookPointName(HookPoint p) noexcept {
  switch (p) {
    case HookPoint::RequestBefore: return "request.before";
    case HookPoint::RequestAfter: return "request.after";
    case HookPoint::CreateBefore: return "create.before";
    case HookPoint::CreateAfter: return "create.after";
    case HookPoint::UpdateBefore: return "update.before";
    case HookPoint::UpdateAfter: return "update.after";
    case HookPoint::DeleteBefore: return "delete.before";
    case HookPoint::DeleteAfter: return "delete.after";
  }
  return "unknown";
}

}  // namespace crow
