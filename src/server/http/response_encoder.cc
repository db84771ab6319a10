#include "server/http/response_encoder.h"

#include <ctime>

namespace vitals::server {
namespace {

bool IsFramingHeader(std::string_view name) {
  return IEquals(name, "content-length") || IEquals(name, "connection") ||
         IEquals(name, "transfer-encoding");
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

// "Date: Tue, 15 Nov 1994 08:12:31 GMT\r\n", formatted at most once a second per thread.
std::string_view DateLine() {
  thread_local std::time_t cached_second = 0;
  thread_local char line[64];
  thread_local size_t length = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    length = std::strftime(line, sizeof(line), "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
    cached_second = now;
  }
  return std::string_view(line, length);
}

// The reason phrase; clients ignore it, so rare codes just get "Status".
std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

void AppendHeader(std::string_view name, std::string_view value, std::string* out) {
  out->append(name);
  out->append(": ");
  out->append(value);
  out->append("\r\n");
}

}  // namespace

bool EncodeResponseHead(const HttpResponse& response, bool keep_alive, bool head_request,
                        std::string* out) {
  const int status = response.status;
  const bool bodiless = (status >= 100 && status < 200) || status == 204 || status == 304;
  out->clear();
  out->append("HTTP/1.1 ");
  out->append(std::to_string(status));
  out->push_back(' ');
  out->append(ReasonPhrase(status));
  out->append("\r\n");
  out->append(DateLine());
  if (!bodiless) {
    if (!response.content_type.empty() && !HasLineBreak(response.content_type)) {
      AppendHeader("Content-Type", response.content_type, out);
    }
    AppendHeader("Content-Length", std::to_string(response.body.size()), out);
  }
  for (const auto& [name, value] : response.headers) {
    if (name.empty() || IsFramingHeader(name) || HasLineBreak(name) || HasLineBreak(value)) {
      continue;
    }
    AppendHeader(name, value, out);
  }
  out->append(keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
  return !bodiless && !head_request && !response.body.empty();
}

std::string_view SseResponseHead() {
  return "HTTP/1.1 200 OK\r\n"
         "Content-Type: text/event-stream\r\n"
         "Cache-Control: no-cache\r\n"
         "Connection: keep-alive\r\n"
         "X-Accel-Buffering: no\r\n"
         "\r\n";
}

std::string_view ContinueResponse() { return "HTTP/1.1 100 Continue\r\n\r\n"; }

}  // namespace vitals::server
