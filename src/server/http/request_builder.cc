#include "server/http/request_builder.h"

#include <iterator>

#include "server/http/gzip_codec.h"

namespace vitals::server {
namespace {

namespace http = boost::beast::http;

int StatusFor(const core::Status& status) {
  return status.code() == core::StatusCode::kPayloadTooLarge ? 413 : 400;
}

// Applies Content-Encoding to `*body`; returns the error response when it cannot.
std::optional<HttpResponse> DecodeBody(std::string_view encoding, size_t max_body_bytes,
                                       std::string* body) {
  encoding = TrimBlanks(encoding);
  if (encoding.empty() || IEquals(encoding, "identity")) return std::nullopt;
  if (!IEquals(encoding, "gzip") && !IEquals(encoding, "x-gzip")) {
    return HttpResponse::Error(415, "unsupported content-encoding: " + std::string(encoding));
  }
  core::Result<std::string> inflated = Gunzip(*body, max_body_bytes);
  if (!inflated.ok()) {
    return HttpResponse::Error(StatusFor(inflated.status()), inflated.status().message());
  }
  *body = std::move(inflated).value();
  return std::nullopt;
}

}  // namespace

Method ToMethod(http::verb verb) {
  switch (verb) {
    case http::verb::get:
      return Method::kGet;
    case http::verb::head:
      return Method::kHead;
    case http::verb::post:
      return Method::kPost;
    case http::verb::put:
      return Method::kPut;
    case http::verb::delete_:
      return Method::kDelete;
    case http::verb::patch:
      return Method::kPatch;
    case http::verb::options:
      return Method::kOptions;
    default:
      return Method::kOther;
  }
}

std::optional<HttpResponse> BuildRequest(BeastRequest& message, const PeerInfo& peer,
                                         size_t max_body_bytes, HttpRequest* out) {
  out->method = ToMethod(message.method());
  out->target.assign(message.target().data(), message.target().size());
  if (!ParseTarget(out->target, &out->path, &out->query)) {
    return HttpResponse::Error(400, "malformed request target");
  }
  out->headers.Reserve(static_cast<size_t>(std::distance(message.begin(), message.end())));
  for (const auto& field : message) {
    out->headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  out->remote_address = peer.address;
  out->remote_is_loopback = peer.loopback;
  out->body = std::move(message.body());
  const auto encoding = message.find(http::field::content_encoding);
  if (encoding == message.end()) return std::nullopt;
  return DecodeBody(encoding->value(), max_body_bytes, &out->body);
}

}  // namespace vitals::server
