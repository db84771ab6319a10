// Agent ownership by rendezvous (highest random weight) hashing: every node computes, from the
// same live member list, the same owner for an agent, and a change of the list moves only the
// agents it must — those of a member that left, or about 1/(n+1) of them to a member that joined.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace vitals::cluster {

// A 64-bit hash fixed by this file (FNV-1a, then a bit mixer), the same on every build and
// platform: nodes of different builds must agree on owners. Never replace it by std::hash.
uint64_t StableHash64(std::string_view bytes, uint64_t seed = 0);

// The weight of `member` for one agent; the owner is the member with the highest one.
uint64_t RendezvousWeight(std::string_view organization_id, std::string_view agent_id,
                          std::string_view member);

// The member that owns (organization_id, agent_id), as a view into `members` (valid as long as
// it is); empty when `members` is. Pure, thread-safe, independent of the members' order
// (equal weights are broken by the smaller name, so duplicates do not matter). O(members).
std::string_view OwnerOf(std::string_view organization_id, std::string_view agent_id,
                         std::span<const std::string> members);

}  // namespace vitals::cluster
