// AgentKey: an agent's identity. The organization is part of every key, so two organizations'
// agents with the same id never meet.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace vitals::engine {

struct AgentKeyView {
  std::string_view organization_id;
  std::string_view agent_id;
};

struct AgentKey {
  std::string organization_id;
  std::string agent_id;

  AgentKeyView view() const { return {organization_id, agent_id}; }
};

// Mixes 8 bytes at a time with a 64x64->128 multiply: a few cycles for a typical id, where a
// byte-at-a-time hash or two std::hash calls cost more than the rest of an index lookup.
inline uint64_t HashBytes(std::string_view s, uint64_t seed) {
  constexpr uint64_t kMul = 0x9e3779b97f4a7c15ULL;
  auto mix = [](uint64_t a, uint64_t b) {
    const __uint128_t r = static_cast<__uint128_t>(a) * b;
    return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
  };
  auto load8 = [](const char* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  };
  auto load4 = [](const char* p) {
    uint32_t w;
    std::memcpy(&w, p, 4);
    return uint64_t{w};
  };
  const char* p = s.data();
  const size_t n = s.size();
  uint64_t h = seed ^ (n * kMul);
  if (n >= 8) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) h = mix(h ^ load8(p + i), kMul);
    if (i < n) h = mix(h ^ load8(p + n - 8), kMul);  // overlapping tail: no variable-size copy
  } else if (n >= 4) {
    h = mix(h ^ (load4(p) << 32 | load4(p + n - 4)), kMul);
  } else if (n > 0) {
    const uint64_t w = (uint64_t{static_cast<unsigned char>(p[0])} << 16) |
                       (uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
                       static_cast<unsigned char>(p[n - 1]);
    h = mix(h ^ w, kMul);
  }
  return mix(h, 0xd6e8feb86659fd93ULL);
}

// Equality for short ids without a memcmp call: ids are usually under 16 bytes.
inline bool IdsEqual(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  if (n >= 8 && n <= 16) {
    uint64_t x0, y0, x1, y1;
    std::memcpy(&x0, a.data(), 8);
    std::memcpy(&y0, b.data(), 8);
    std::memcpy(&x1, a.data() + n - 8, 8);
    std::memcpy(&y1, b.data() + n - 8, 8);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n >= 4 && n < 8) {
    uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, a.data(), 4);
    std::memcpy(&y0, b.data(), 4);
    std::memcpy(&x1, a.data() + n - 4, 4);
    std::memcpy(&y1, b.data() + n - 4, 4);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  return a == b;
}

inline bool KeyMatches(AgentKeyView a, AgentKeyView b) {
  return IdsEqual(a.agent_id, b.agent_id) && IdsEqual(a.organization_id, b.organization_id);
}

struct AgentKeyHash {
  uint64_t operator()(AgentKeyView k) const {
    return HashBytes(k.agent_id, HashBytes(k.organization_id, 0x243f6a8885a308d3ULL));
  }
  uint64_t operator()(const AgentKey& k) const { return (*this)(k.view()); }
};

}  // namespace vitals::engine
