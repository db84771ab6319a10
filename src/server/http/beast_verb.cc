#include "server/http/beast_verb.h"

namespace vitals::server {

boost::beast::http::verb ToBeastVerb(Method method, boost::beast::http::verb other) {
  using boost::beast::http::verb;
  switch (method) {
    case Method::kGet:
      return verb::get;
    case Method::kHead:
      return verb::head;
    case Method::kPost:
      return verb::post;
    case Method::kPut:
      return verb::put;
    case Method::kDelete:
      return verb::delete_;
    case Method::kPatch:
      return verb::patch;
    case Method::kOptions:
      return verb::options;
    case Method::kOther:
      break;
  }
  return other;
}

}  // namespace vitals::server
