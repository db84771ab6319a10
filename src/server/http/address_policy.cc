#include "server/http/address_policy.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace vitals::server {

std::string_view AddressClassName(AddressClass c) {
  switch (c) {
    case AddressClass::kPublic:
      return "public";
    case AddressClass::kLoopback:
      return "loopback";
    case AddressClass::kLinkLocal:
      return "link-local";
    case AddressClass::kPrivate:
      return "private";
    case AddressClass::kUnspecified:
      return "unspecified";
  }
  return "public";
}

AddressClass ClassifyIpv4(const std::array<uint8_t, 4>& b) {
  if (b[0] == 0) return AddressClass::kUnspecified;
  if (b[0] == 127) return AddressClass::kLoopback;
  if (b[0] == 169 && b[1] == 254) return AddressClass::kLinkLocal;
  if (b[0] == 10) return AddressClass::kPrivate;
  if (b[0] == 172 && (b[1] & 0xf0) == 16) return AddressClass::kPrivate;
  if (b[0] == 192 && b[1] == 168) return AddressClass::kPrivate;
  if (b[0] == 100 && (b[1] & 0xc0) == 64) return AddressClass::kPrivate;
  return AddressClass::kPublic;
}

AddressClass ClassifyIpv6(const std::array<uint8_t, 16>& b) {
  auto zero = [&b](size_t from, size_t to) {
    return std::all_of(b.begin() + from, b.begin() + to, [](uint8_t x) { return x == 0; });
  };
  const std::array<uint8_t, 4> embedded{b[12], b[13], b[14], b[15]};
  if (zero(0, 16)) return AddressClass::kUnspecified;
  if (zero(0, 15) && b[15] == 1) return AddressClass::kLoopback;
  if (zero(0, 10) && b[10] == 0xff && b[11] == 0xff) return ClassifyIpv4(embedded);
  if (zero(0, 12)) return ClassifyIpv4(embedded);
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && zero(4, 12)) {
    return ClassifyIpv4(embedded);
  }
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressClass::kLinkLocal;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return AddressClass::kPrivate;
  if ((b[0] & 0xfe) == 0xfc) return AddressClass::kPrivate;
  return AddressClass::kPublic;
}

std::optional<AddressClass> ClassifyAddressLiteral(std::string_view text) {
  const std::string s(text);
  std::array<uint8_t, 4> v4{};
  if (::inet_pton(AF_INET, s.c_str(), v4.data()) == 1) return ClassifyIpv4(v4);
  std::array<uint8_t, 16> v6{};
  if (::inet_pton(AF_INET6, s.c_str(), v6.data()) == 1) return ClassifyIpv6(v6);
  return std::nullopt;
}

std::string RefusedAddressMessage(std::string_view field, std::string_view address,
                                  AddressClass c) {
  std::string m(field);
  m += ": ";
  m += address;
  m += c == AddressClass::kUnspecified ? " is an " : " is a ";
  m += AddressClassName(c);
  m += " address; tenants may not reach the server's own host or network (the operator allows it "
       "with --allow-private-targets)";
  return m;
}

}  // namespace vitals::server
