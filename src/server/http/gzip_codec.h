// gzip for request bodies: the server inflates `Content-Encoding: gzip` bodies, the client can
// deflate what it sends. zlib underneath; no Boost.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vitals::server {

// Inflates one or more concatenated gzip members. Fails with kPayloadTooLarge when the output
// would exceed `max_output_bytes` (decompression stops there, so a small bomb costs little), and
// with kInvalidArgument "body: invalid gzip" for anything that is not complete, valid gzip.
core::Result<std::string> Gunzip(std::string_view compressed, size_t max_output_bytes);

// Deflates `data` into a single gzip member.
std::string Gzip(std::string_view data);

}  // namespace vitals::server
