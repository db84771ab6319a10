#pragma once

namespace vitals::cli {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace vitals::cli
