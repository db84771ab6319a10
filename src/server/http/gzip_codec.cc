#include "server/http/gzip_codec.h"

#include <zlib.h>

#include <algorithm>

namespace vitals::server {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 16: gzip header and trailer instead of zlib's
constexpr size_t kChunk = 16 * 1024;

core::Status InvalidGzip() { return core::Status::InvalidArgument("body: invalid gzip"); }

core::Status TooLarge(size_t max_output_bytes) {
  return core::Status::PayloadTooLarge("body: decompressed size exceeds " +
                                       std::to_string(max_output_bytes) + " bytes");
}

}  // namespace

core::Result<std::string> Gunzip(std::string_view compressed, size_t max_output_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, kGzipWindowBits) != Z_OK) return core::Status::Internal("inflateInit2");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  out.reserve(std::min(max_output_bytes, compressed.size() * 4 + kChunk));
  int rc = Z_OK;
  // One byte beyond the cap is requested so that "exactly the cap" and "more" differ.
  while (zs.avail_in > 0 || rc != Z_STREAM_END) {
    const size_t room = std::min(kChunk, max_output_bytes + 1 - out.size());
    const size_t before = out.size();
    out.resize(before + room);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + before);
    zs.avail_out = static_cast<uInt>(room);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.resize(before + room - zs.avail_out);
    if (out.size() > max_output_bytes) break;
    if (rc == Z_STREAM_END && zs.avail_in > 0) {
      rc = inflateReset(&zs);  // another member follows
      if (rc != Z_OK) break;
      continue;
    }
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && !(rc == Z_BUF_ERROR && zs.avail_out == 0)) break;
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out > 0) {
      rc = Z_DATA_ERROR;  // input ended inside a member
      break;
    }
  }
  inflateEnd(&zs);
  if (out.size() > max_output_bytes) return TooLarge(max_output_bytes);
  if (rc != Z_STREAM_END) return InvalidGzip();
  return out;
}

std::string Gzip(std::string_view data) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);  // the buffer is at least deflateBound, so one call finishes
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace vitals::server
