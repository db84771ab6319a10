#include "cli/client_support.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/api_client.h"

namespace vitals::cli {

namespace dom = simdjson::dom;
using server::Method;

void CommandContext::Options(CLI::App* cmd) const {
  cmd->add_option("--server", g->server, "vitals server URL [env: VITALS_SERVER]")
      ->envname("VITALS_SERVER");
  cmd->add_option("--api-key", g->api_key, "API key [env: VITALS_API_KEY]");
  cmd->add_flag("--json", g->json, "Print the server's JSON");
}

void CommandContext::On(CLI::App* cmd, std::function<int()> f) const {
  cmd->callback([action = action, f = std::move(f)] { *action = f; });
}

std::string PlainNumber(double d) {
  if (!std::isfinite(d)) return d != d ? "nan" : (d > 0 ? "inf" : "-inf");
  char buf[400];
  const double a = std::fabs(d);
  if (a >= 100 || d == std::trunc(d)) {
    std::snprintf(buf, sizeof buf, "%.0f", d);
  } else {
    // Three significant digits, in fixed notation: 12.3, 0.123, 0.00123.
    const int decimals = a == 0 ? 0 : std::max(0, 2 - static_cast<int>(std::floor(std::log10(a))));
    std::snprintf(buf, sizeof buf, "%.*f", std::min(decimals, 12), d);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
      while (s.back() == '0') s.pop_back();
      if (s.back() == '.') s.pop_back();
    }
    return s == "-0" ? "0" : s;
  }
  return buf;
}

std::string Count(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string Text(dom::element e) {
  if (e.is_null()) return "-";
  std::string_view s;
  if (!e.get_string().get(s)) return std::string(s);
  double d;
  if (!e.get_double().get(d)) return PlainNumber(d);
  bool b;
  if (!e.get_bool().get(b)) return b ? "yes" : "no";
  return simdjson::minify(e);
}

std::string Field(dom::element o, const char* key) {
  dom::element v;
  return o[key].get(v) ? "-" : Text(v);
}

std::string Joined(dom::element o, const char* key, const char* sep) {
  dom::array a;
  if (o[key].get_array().get(a)) return "-";
  std::string out;
  for (dom::element e : a) out += (out.empty() ? "" : sep) + Text(e);
  return out.empty() ? "-" : out;
}

dom::array Items(dom::element r, const char* key, const char* alt) {
  dom::array a;
  if (!r.get_array().get(a)) return a;
  if (!r[key].get_array().get(a)) return a;
  if (alt && !r[alt].get_array().get(a)) return a;
  return {};
}

std::string Percent(dom::element o, const char* key) {
  dom::element v;
  double d;
  if (o[key].get(v) || v.get_double().get(d)) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", d * 100);
  return buf;
}

int ExitCodeFor(const core::Status& status) {
  return status.code() == core::StatusCode::kUnavailable ? kExitUnreachable : kExitRefused;
}

core::Result<std::string> Fetch(const Globals& g, Method method, const std::string& target,
                                const std::string& body) {
  auto address = ParseServerAddress(g.server);
  if (!address.ok()) return address.status();
  std::string key = g.api_key;
  if (key.empty()) {
    if (const char* env = std::getenv("VITALS_API_KEY")) key = env;
  }
  ApiClient client(*address, key);
  return client.Call(method, target, body);
}

int Fail(const core::Status& status) {
  std::cerr << "vitals: " << status.message() << "\n";
  // A malformed --server is as fatal to a script as an absent server.
  return status.code() == core::StatusCode::kInvalidArgument ? kExitUnreachable
                                                             : ExitCodeFor(status);
}

int Run(const Globals& g, Method method, const std::string& target, const std::string& body,
        const std::function<void(dom::element)>& render) {
  auto r = Fetch(g, method, target, body);
  if (!r.ok()) return Fail(r.status());
  if (g.json || !render) {
    std::cout << *r << "\n";
    return kExitOk;
  }
  dom::parser parser;
  dom::element root;
  if (parser.parse(*r).get(root)) {
    std::cout << *r << "\n";
    return kExitOk;
  }
  render(root);
  return kExitOk;
}

std::string Escape(const std::string& id) {
  std::string out;
  for (unsigned char c : id) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace vitals::cli
