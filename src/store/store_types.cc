#include "store/store_types.h"

namespace vitals::store {

std::string_view KeyScopeName(KeyScope s) {
  switch (s) {
    case KeyScope::kIngest:
      return "ingest";
    case KeyScope::kRead:
      return "read";
    case KeyScope::kAdmin:
      return "admin";
  }
  return "read";
}

std::optional<KeyScope> ParseKeyScope(std::string_view name) {
  if (name == "ingest") return KeyScope::kIngest;
  if (name == "read") return KeyScope::kRead;
  if (name == "admin") return KeyScope::kAdmin;
  return std::nullopt;
}

}  // namespace vitals::store
