// Server-pushed streams (WebSocket and Server-Sent Events) as the application sees them: a
// connection it can send messages to, and a handler the transport calls. No Boost types here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/http/http_types.h"

namespace vitals::server {

enum class StreamKind { kWebSocket, kServerSentEvents };

// One open stream connection, implemented by the transport.
// Thread-safety: every method may be called from any thread.
class StreamConnection {
 public:
  virtual ~StreamConnection() = default;
  // Queues a message: a WebSocket text frame's payload, or for SSE a complete event block
  // ("id: 7\nevent: health_update\ndata: {...}\n\n"). Never blocks. Returns false when the
  // connection is closed or its bounded queue is full — in the latter case the transport closes
  // the connection with a reason ("client too slow: N messages queued"), so a slow client never
  // slows anyone else.
  virtual bool Send(std::shared_ptr<const std::string> message) = 0;
  // Closes the connection (WebSocket close frame with `reason`; SSE: end of response).
  virtual void Close(std::string_view reason) = 0;
  // Closes the connection because its client may no longer see it (revoked credentials):
  // WebSocket close frame 1008 (policy violation) with `reason`; SSE has no close code, so the
  // application's last Send() says why, then the response ends. Queued messages go out first.
  virtual void CloseForPolicy(std::string_view reason) = 0;
  virtual bool closed() const = 0;
  virtual StreamKind kind() const = 0;
  // Messages queued and not yet written.
  virtual size_t queued() const = 0;
};

// Implemented by the application for each stream path.
// Thread-safety: methods may be called concurrently from the transport's threads.
class StreamHandler {
 public:
  virtual ~StreamHandler() = default;
  // A WebSocket upgrade or an SSE request arrived. Return a response to refuse it (401, 403,
  // 404...), or nullopt to accept: the transport then completes the handshake (WebSocket) or sends
  // the 200 text/event-stream headers (SSE) and delivers what is Send() to `connection`.
  // `connection` may be sent to immediately (messages wait until the handshake is done).
  virtual std::optional<HttpResponse> Accept(const HttpRequest& request, StreamKind kind,
                                             std::shared_ptr<StreamConnection> connection) = 0;
  // A text message from a WebSocket client.
  virtual void OnMessage(const std::shared_ptr<StreamConnection>& connection,
                         std::string_view text) = 0;
  // The connection closed, for whatever reason. Called once per accepted connection.
  virtual void OnClose(const std::shared_ptr<StreamConnection>& connection) = 0;
};

// Handles ordinary requests. Implemented by the application's router.
// Thread-safety: Handle may be called concurrently from the transport's threads.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Must call `respond` exactly once, possibly later and from another thread.
  virtual void Handle(HttpRequest request, Responder respond) = 0;
};

}  // namespace vitals::server
