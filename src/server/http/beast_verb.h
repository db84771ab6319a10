// Our Method as Beast's verb. Included only by src/server/http .cc files.
#pragma once

#include <boost/beast/http/verb.hpp>
#include <ostream>  // verb.hpp needs it and does not include it

#include "server/http/http_types.h"

namespace vitals::server {

// `other` for Method::kOther (which has no verb of its own).
boost::beast::http::verb ToBeastVerb(
    Method method, boost::beast::http::verb other = boost::beast::http::verb::unknown);

}  // namespace vitals::server
