// The text/event-stream parser (SSE client): the events do not depend on how the bytes were cut
// into chunks, and every event carries data (a block without data lines is dropped).
#include <string>
#include <vector>

#include "fuzz/fuzz_contract.h"
#include "server/http/sse_parser.h"

using vitals::fuzz::Require;
using vitals::server::SseEvent;

namespace {

std::vector<SseEvent> Drain(vitals::server::SseParser& parser) {
  std::vector<SseEvent> out;
  while (auto e = parser.Next()) out.push_back(std::move(*e));
  return out;
}

bool Same(const SseEvent& a, const SseEvent& b) {
  return a.id == b.id && a.event == b.event && a.data == b.data && a.comment == b.comment &&
         a.is_comment == b.is_comment;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the chunk size of the second reading.
  const size_t chunk = data[0] % 16 + 1;
  const std::string_view stream = vitals::fuzz::Text(data + 1, size - 1);

  vitals::server::SseParser whole;
  whole.Feed(stream);
  const std::vector<SseEvent> expected = Drain(whole);

  vitals::server::SseParser pieces;
  std::vector<SseEvent> got;
  for (size_t at = 0; at < stream.size(); at += chunk) {
    pieces.Feed(stream.substr(at, chunk));
    for (SseEvent& e : Drain(pieces)) got.push_back(std::move(e));
  }
  Require(got.size() == expected.size(), "chunking changes no event");
  for (size_t i = 0; i < got.size() && i < expected.size(); ++i) {
    Require(Same(got[i], expected[i]), "chunking changes no event");
  }
  for (const SseEvent& e : expected) {
    Require(e.is_comment || e.comment.empty(), "only comments carry a comment");
    Require(e.id.find_first_of("\r\n") == std::string::npos, "an id is one line");
    Require(e.event.find_first_of("\r\n") == std::string::npos, "an event name is one line");
    Require(e.data.find('\r') == std::string::npos, "data lines are joined with LF");
  }
  return 0;
}
