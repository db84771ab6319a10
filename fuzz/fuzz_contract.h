// What every harness shares: the input as text, and Require(), which stops the run with a
// finding when a parser breaks its own contract (libFuzzer saves the input as a crash).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace vitals::fuzz {

inline std::string_view Text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// libFuzzer prints the stack of the abort, so the message need only name the contract.
inline void Require(bool holds, std::string_view contract) {
  if (holds) return;
  std::fprintf(stderr, "contract broken: %.*s\n", static_cast<int>(contract.size()),
               contract.data());
  std::abort();
}

// The round trip of a parser and its writer: a spec that parses is written in a form that parses
// back to the same spec (compared by writing it again). `parse(text)` returns a core::Result;
// `write(value)` a std::string. Returns the first parse's result for further checks.
template <typename Parse, typename Write>
auto RequireRoundTrip(std::string_view text, Parse parse, Write write) {
  auto first = parse(text);
  if (!first.ok()) return first;
  const std::string json = write(*first);
  auto second = parse(json);
  Require(second.ok(), "what the writer wrote parses again");
  Require(second.ok() && write(*second) == json, "parse(write(x)) is x");
  return first;
}

}  // namespace vitals::fuzz
