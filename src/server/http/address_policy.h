// AddressPolicy: which network addresses a tenant's outbound traffic (webhooks, checks, database
// probes) may reach. Loopback, link-local, private and unspecified addresses belong to the host
// and its network, so reaching them is the operator's grant (--allow-private-targets), not a
// tenant's. Pure: no I/O, no name resolution — callers resolve and classify every address.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vitals::server {

enum class AddressClass { kPublic, kLoopback, kLinkLocal, kPrivate, kUnspecified };

// "public", "loopback", "link-local", "private", "unspecified".
std::string_view AddressClassName(AddressClass c);

// 127/8 loopback; 169.254/16 link-local; 10/8, 172.16/12, 192.168/16 and 100.64/10 (shared,
// carrier NAT) private; 0/8 unspecified ("this network", which Linux connects to locally).
AddressClass ClassifyIpv4(const std::array<uint8_t, 4>& bytes);
// ::1 loopback; fe80::/10 link-local; fc00::/7 and fec0::/10 private; :: unspecified. The IPv4
// inside ::ffff:0:0/96 (v4-mapped), ::/96 (v4-compatible) and 64:ff9b::/96 (NAT64) is classified
// as IPv4, since traffic to those reaches that IPv4 address.
AddressClass ClassifyIpv6(const std::array<uint8_t, 16>& bytes);
// An IPv4 dotted quad or an IPv6 literal (no brackets); nullopt when `text` is neither (a host
// name, or a form only getaddrinfo accepts, like "127.1", which must be resolved first).
std::optional<AddressClass> ClassifyAddressLiteral(std::string_view text);

// Whether a connection to an address of class `c` is allowed: public ones always, others only
// with `allow_private`.
inline bool AddressAllowed(AddressClass c, bool allow_private) {
  return allow_private || c == AddressClass::kPublic;
}

// The message for a refused address, naming the field and the operator's flag:
// "url: 127.0.0.1 is a loopback address; tenants may not reach the server's own host or network
// (the operator allows it with --allow-private-targets)".
std::string RefusedAddressMessage(std::string_view field, std::string_view address, AddressClass c);

}  // namespace vitals::server
