// The address classifier, over every range it knows, in both families.
#include "server/http/address_policy.h"

#include <gtest/gtest.h>

namespace vitals::server {
namespace {

AddressClass Of(std::string_view literal) {
  auto c = ClassifyAddressLiteral(literal);
  EXPECT_TRUE(c.has_value()) << literal;
  return c.value_or(AddressClass::kPublic);
}

TEST(AddressPolicyTest, Ipv4RangesAreClassifiedAtTheirEdges) {
  for (auto [text, want] : std::initializer_list<std::pair<const char*, AddressClass>>{
           {"0.0.0.0", AddressClass::kUnspecified},
           {"0.1.2.3", AddressClass::kUnspecified},
           {"127.0.0.1", AddressClass::kLoopback},
           {"127.255.255.254", AddressClass::kLoopback},
           {"169.254.169.254", AddressClass::kLinkLocal},
           {"169.253.255.255", AddressClass::kPublic},
           {"10.0.0.1", AddressClass::kPrivate},
           {"10.255.255.255", AddressClass::kPrivate},
           {"11.0.0.1", AddressClass::kPublic},
           {"172.16.0.1", AddressClass::kPrivate},
           {"172.31.255.255", AddressClass::kPrivate},
           {"172.15.255.255", AddressClass::kPublic},
           {"172.32.0.0", AddressClass::kPublic},
           {"192.168.1.1", AddressClass::kPrivate},
           {"192.169.0.1", AddressClass::kPublic},
           {"100.64.0.1", AddressClass::kPrivate},
           {"100.127.255.255", AddressClass::kPrivate},
           {"100.128.0.0", AddressClass::kPublic},
           {"8.8.8.8", AddressClass::kPublic},
           {"93.184.216.34", AddressClass::kPublic},
       }) {
    EXPECT_EQ(Of(text), want) << text;
  }
}

TEST(AddressPolicyTest, Ipv6RangesAndEmbeddedIpv4AreClassified) {
  for (auto [text, want] : std::initializer_list<std::pair<const char*, AddressClass>>{
           {"::", AddressClass::kUnspecified},
           {"::1", AddressClass::kLoopback},
           {"fe80::1", AddressClass::kLinkLocal},
           {"febf:ffff::1", AddressClass::kLinkLocal},
           {"fec0::1", AddressClass::kPrivate},
           {"fc00::1", AddressClass::kPrivate},
           {"fd12:3456::1", AddressClass::kPrivate},
           {"fe00::1", AddressClass::kPublic},
           {"2001:4860:4860::8888", AddressClass::kPublic},
           {"::ffff:127.0.0.1", AddressClass::kLoopback},
           {"::ffff:7f00:1", AddressClass::kLoopback},
           {"::ffff:10.1.2.3", AddressClass::kPrivate},
           {"::ffff:169.254.169.254", AddressClass::kLinkLocal},
           {"::ffff:0.0.0.0", AddressClass::kUnspecified},
           {"::ffff:8.8.8.8", AddressClass::kPublic},
           {"::127.0.0.1", AddressClass::kLoopback},
           {"64:ff9b::192.168.0.1", AddressClass::kPrivate},
           {"64:ff9b::8.8.8.8", AddressClass::kPublic},
       }) {
    EXPECT_EQ(Of(text), want) << text;
  }
}

TEST(AddressPolicyTest, NamesAndShorthandFormsAreNotLiterals) {
  // getaddrinfo takes "127.1" and "2130706433" as 127.0.0.1: they must be resolved, never passed.
  for (const char* text :
       {"localhost", "127.1", "2130706433", "0x7f000001", "[::1]", "", "1.2.3"}) {
    EXPECT_FALSE(ClassifyAddressLiteral(text).has_value()) << text;
  }
}

TEST(AddressPolicyTest, OnlyPublicAddressesAreAllowedWithoutTheOperatorsGrant) {
  EXPECT_TRUE(AddressAllowed(AddressClass::kPublic, false));
  for (AddressClass c : {AddressClass::kLoopback, AddressClass::kLinkLocal, AddressClass::kPrivate,
                         AddressClass::kUnspecified}) {
    EXPECT_FALSE(AddressAllowed(c, false)) << AddressClassName(c);
    EXPECT_TRUE(AddressAllowed(c, true)) << AddressClassName(c);
  }
  const std::string m = RefusedAddressMessage("url", "127.0.0.1", AddressClass::kLoopback);
  EXPECT_NE(m.find("url: 127.0.0.1 is a loopback address"), std::string::npos) << m;
  EXPECT_NE(m.find("--allow-private-targets"), std::string::npos) << m;
}

}  // namespace
}  // namespace vitals::server
