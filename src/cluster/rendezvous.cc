#include "cluster/rendezvous.h"

namespace vitals::cluster {
namespace {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

// The finaliser of MurmurHash3 (fmix64): FNV-1a alone spreads the last bytes poorly, and the
// weights of similar member names ("node-1", "node-2") must be independent.
uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

uint64_t Fnv1a(std::string_view bytes, uint64_t h) {
  for (char c : bytes) {
    h ^= static_cast<uint8_t>(c);
    h *= kFnvPrime;
  }
  return h;
}

// The length prefix (as seed) keeps ("ab", "c") and ("a", "bc") apart.
uint64_t AgentKey(std::string_view organization_id, std::string_view agent_id) {
  return StableHash64(agent_id, StableHash64(organization_id, organization_id.size()));
}

uint64_t Weight(uint64_t agent_key, std::string_view member) {
  return Mix64(agent_key ^ StableHash64(member, 0x9e3779b97f4a7c15ULL));
}

}  // namespace

uint64_t StableHash64(std::string_view bytes, uint64_t seed) {
  return Mix64(Fnv1a(bytes, kFnvOffset ^ Mix64(seed)));
}

uint64_t RendezvousWeight(std::string_view organization_id, std::string_view agent_id,
                          std::string_view member) {
  return Weight(AgentKey(organization_id, agent_id), member);
}

std::string_view OwnerOf(std::string_view organization_id, std::string_view agent_id,
                         std::span<const std::string> members) {
  const uint64_t agent_key = AgentKey(organization_id, agent_id);
  std::string_view best;
  uint64_t best_weight = 0;
  bool found = false;
  for (const std::string& m : members) {
    const uint64_t w = Weight(agent_key, m);
    if (!found || w > best_weight || (w == best_weight && std::string_view(m) < best)) {
      best = m;
      best_weight = w;
      found = true;
    }
  }
  return best;
}

}  // namespace vitals::cluster
