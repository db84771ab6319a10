// One WebSocket connection. Internal to src/server/http.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <memory>
#include <string>

#include "server/http/request_builder.h"
#include "server/http/stream_session.h"

namespace vitals::server {

// Text frames in go to StreamHandler::OnMessage (binary frames are ignored); Send() goes out as
// text frames. Closing sends a close frame after the write in flight (an overflow: 1008 "client
// too slow: ..."); Beast answers pings and pings an idle peer after half of idle_timeout.
class WebSocketSession final : public StreamSession {
 public:
  WebSocketSession(std::shared_ptr<ServerState> state, Executor executor);

  // Accepted: takes the connection and completes the handshake answering `upgrade`. Called once,
  // on the session's strand.
  void Run(Socket socket, BeastRequest upgrade);

  StreamKind kind() const override { return StreamKind::kWebSocket; }

 private:
  void OnHandshake(ErrorCode ec);
  void Read();
  void OnRead(ErrorCode ec, size_t bytes);
  void Write() override;
  void OnWrite(ErrorCode ec, size_t bytes);
  void SendCloseFrame();
  void CloseTransport() override;

  beast::websocket::stream<Socket> ws_;
  BeastRequest upgrade_;
  beast::flat_buffer read_buffer_;
  std::shared_ptr<const std::string> writing_;  // the message being written
  bool close_sent_ = false;
};

}  // namespace vitals::server
