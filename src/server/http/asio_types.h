// Boost.Asio/Beast names the transport uses. Included only by src/server/http .cc files.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>

namespace vitals::server {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using ErrorCode = boost::system::error_code;

// Each connection lives on its own strand of the one io_context; its socket and timers complete
// there, so a connection's handlers never run concurrently. A concrete (not type-erased)
// executor keeps dispatch cheap.
using Executor = net::strand<net::io_context::executor_type>;
using Socket = net::basic_stream_socket<tcp, Executor>;
using Timer = net::basic_waitable_timer<std::chrono::steady_clock,
                                        net::wait_traits<std::chrono::steady_clock>, Executor>;

}  // namespace vitals::server
