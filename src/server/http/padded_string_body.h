// A Beast body like http::string_body whose reader leaves kBodyPadding spare bytes of capacity
// after a body of announced length. Internal to src/server/http.
#pragma once

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/optional.hpp>
#include <cstdint>
#include <string>

#include "server/http/http_types.h"

namespace vitals::server {

// The JSON parser reads up to kBodyPadding bytes past the end of its input; with the room
// reserved up front it parses the body where it is instead of copying it into a larger buffer.
struct PaddedStringBody {
  using value_type = std::string;
  using writer = boost::beast::http::string_body::writer;

  static std::uint64_t size(const value_type& body) { return body.size(); }

  class reader {
   public:
    template <bool kIsRequest, class Fields>
    reader(boost::beast::http::header<kIsRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, boost::beast::error_code& ec) {
      ec = {};
      if (!length) return;  // chunked: grows as it arrives
      if (*length > body_.max_size() - kBodyPadding) {
        ec = boost::beast::http::error::buffer_overflow;
        return;
      }
      body_.reserve(static_cast<size_t>(*length) + kBodyPadding);
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      ec = {};
      std::size_t added = 0;
      for (const auto& b : boost::beast::buffers_range_ref(buffers)) {
        body_.append(static_cast<const char*>(b.data()), b.size());
        added += b.size();
      }
      return added;
    }

    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace vitals::server
