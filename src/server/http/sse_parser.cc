#include "server/http/sse_parser.h"

#include <utility>

namespace vitals::server {

void SseParser::Feed(std::string_view bytes) {
  for (const char c : bytes) {
    if (c == '\n' && skip_lf_) {
      skip_lf_ = false;
      continue;
    }
    skip_lf_ = c == '\r';
    if (c == '\r' || c == '\n') {
      Line(line_);
      line_.clear();
    } else {
      line_.push_back(c);
    }
  }
}

std::optional<SseEvent> SseParser::Next() {
  if (ready_.empty()) return std::nullopt;
  SseEvent event = std::move(ready_.front());
  ready_.pop_front();
  return event;
}

void SseParser::Line(std::string_view line) {
  if (line.empty()) {
    if (has_data_) {
      SseEvent event;
      event.id = last_id_;
      event.event = std::move(event_);
      event.data = std::move(data_);
      ready_.push_back(std::move(event));
    }
    event_.clear();
    data_.clear();
    has_data_ = false;
    return;
  }
  const size_t colon = line.find(':');
  std::string_view name = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (name.empty()) {
    SseEvent comment;
    comment.comment = std::string(value);
    comment.is_comment = true;
    ready_.push_back(std::move(comment));
  } else if (name == "data") {
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
  } else if (name == "event") {
    event_.assign(value);
  } else if (name == "id" && value.find('\0') == std::string_view::npos) {
    last_id_.assign(value);
  }
  // "retry" and unknown fields are ignored.
}

}  // namespace vitals::server
