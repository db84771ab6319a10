// Serves 204 No Content to every request, at once: the transport's own throughput, for wrk.
//   http_bench_server [port] [threads]
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "server/http/http_server.h"

namespace {

using vitals::server::HttpRequest;
using vitals::server::HttpResponse;
using vitals::server::Responder;
using vitals::server::StreamConnection;
using vitals::server::StreamKind;

class NoContent final : public vitals::server::RequestHandler {
 public:
  void Handle(HttpRequest, Responder respond) override { respond(HttpResponse::Text(204, "")); }
};

class NoStreams final : public vitals::server::StreamHandler {
 public:
  std::optional<HttpResponse> Accept(const HttpRequest&, StreamKind,
                                     std::shared_ptr<StreamConnection>) override {
    return HttpResponse::Error(404, "no streams here");
  }
  void OnMessage(const std::shared_ptr<StreamConnection>&, std::string_view) override {}
  void OnClose(const std::shared_ptr<StreamConnection>&) override {}
};

}  // namespace

int main(int argc, char** argv) {
  vitals::server::HttpServerOptions options;
  options.port = static_cast<uint16_t>(argc > 1 ? std::atoi(argv[1]) : 8081);
  options.threads = argc > 2 ? std::atoi(argv[2]) : 0;
  NoContent requests;
  NoStreams streams;
  vitals::server::HttpServer server(options, requests, streams);
  if (vitals::core::Status status = server.Start(); !status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  std::printf("listening on %s:%u\n", options.address.c_str(), server.port());
  std::fflush(stdout);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  int received = 0;
  sigwait(&signals, &received);
  server.Stop();
  return 0;
}
