// The HTTP request and response handlers see: plain data, no socket, no Boost type. The
// transport (listener/session, Boost.Beast) fills an HttpRequest and sends the HttpResponse a
// handler hands back through its Responder.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vitals::server {

enum class Method { kGet, kHead, kPost, kPut, kDelete, kPatch, kOptions, kOther };

std::string_view MethodName(Method m);  // "GET", ...

// Spare capacity the transport leaves after a request body (see HttpRequest::body): what a JSON
// parser that reads past its input (simdjson) needs to parse the body in place.
inline constexpr size_t kBodyPadding = 64;

// ASCII case-insensitive equality: header names, media types.
bool IEquals(std::string_view a, std::string_view b);
// `s` without leading and trailing spaces and tabs (HTTP's optional whitespace).
std::string_view TrimBlanks(std::string_view s);

// Case-insensitive header list, in arrival order.
class Headers {
 public:
  void Add(std::string name, std::string value) {
    items_.emplace_back(std::move(name), std::move(value));
  }
  void Reserve(size_t n) { items_.reserve(n); }
  // The first value of `name` (case-insensitive), or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct HttpRequest {
  Method method = Method::kGet;
  std::string target;                                      // as received: path plus query
  std::string path;                                        // percent-decoded path, no query
  std::vector<std::pair<std::string, std::string>> query;  // percent-decoded, in order
  Headers headers;
  // Already gunzipped when Content-Encoding was gzip. Received with a Content-Length (and not
  // gunzipped), its capacity leaves at least kBodyPadding bytes after its content.
  std::string body;
  std::string remote_address;  // "127.0.0.1"
  bool remote_is_loopback = false;

  // The first query value for `name`, or nullopt.
  std::optional<std::string_view> Query(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string_view content_type = "application/json";  // REQUIRES: static storage (a literal)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Retry-After, ...)

  static HttpResponse Json(int status, std::string body);
  static HttpResponse Text(int status, std::string body,
                           std::string_view content_type = "text/plain");
  // The transport's own error shape: {"error":"<message>","status":<status>}.
  static HttpResponse Error(int status, std::string_view message);
};

// Completes a request. Call exactly once, from any thread; the transport sends the response on
// the connection's own executor.
using Responder = std::function<void(HttpResponse)>;

// Splits a request target into a decoded path and query pairs. Returns false when the target is
// malformed (bad percent-encoding, not starting with '/').
bool ParseTarget(std::string_view target, std::string* path,
                 std::vector<std::pair<std::string, std::string>>* query);

}  // namespace vitals::server
