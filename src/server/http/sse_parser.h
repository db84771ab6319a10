// Parses a text/event-stream body into events, as a browser's EventSource would. No Boost.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace vitals::server {

// One dispatched event, or one comment line (": keepalive" gives comment "keepalive").
struct SseEvent {
  std::string id;     // the last id: field seen so far, as EventSource's lastEventId
  std::string event;  // the event: field, empty for the default "message"
  std::string data;   // data: lines joined with '\n'
  std::string comment;
  bool is_comment = false;
};

// Feed bytes as they arrive, in chunks of any size; take complete events with Next(). Lines end
// with LF, CR LF or CR. Comments are reported as their own entries, in stream order; an event
// block without data lines is dropped, as EventSource does. Not thread-safe.
class SseParser final {
 public:
  void Feed(std::string_view bytes);
  // The next complete event or comment, or nullopt until more bytes arrive.
  std::optional<SseEvent> Next();

 private:
  void Line(std::string_view line);

  std::string line_;      // the unfinished line
  bool skip_lf_ = false;  // the last byte was a CR: a following LF belongs to it
  std::string last_id_;
  std::string event_;
  std::string data_;
  bool has_data_ = false;
  std::deque<SseEvent> ready_;
};

}  // namespace vitals::server
