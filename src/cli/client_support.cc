#include "cli/client_support.h"

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

std::string Text(dom::element e) {
  if (e.is_null()) return "-";
  std::string_view s;
  if (!e.get_string().get(s)) return std::string(s);
  double d;
  if (!e.get_double().get(d)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, d == static_cast<int64_t>(d) ? "%.0f" : "%.3g", d);
    return buf;
  }
  bool b;
  if (!e.get_bool().get(b)) return b ? "yes" : "no";
  return simdjson::minify(e);
}

std::string Field(dom::element o, const char* key) {
  dom::element v;
  return o[key].get(v) ? "-" : Text(v);
}

std::string Percent(dom::element o, const char* key) {
  dom::element v;
  double d;
  if (o[key].get(v) || v.get_double().get(d)) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", d * 100);
  return buf;
}

// Runs `call`, prints its result (JSON or `render`), returns the exit code.
int Run(const Globals& g, Method method, const std::string& target, const std::string& body,
        const std::function<void(dom::element)>& render) {
  auto address = ParseServerAddress(g.server);
  if (!address.ok()) {
    std::cerr << "vitals: " << address.status().message() << "\n";
    return 2;
  }
  std::string key = g.api_key;
  if (key.empty()) {
    if (const char* env = std::getenv("VITALS_API_KEY")) key = env;
  }
  ApiClient client(*address, key);
  auto r = client.Call(method, target, body);
  if (!r.ok()) {
    std::cerr << "vitals: " << r.status().message() << "\n";
    return 1;
  }
  if (g.json || !render) {
    std::cout << *r << "\n";
    return 0;
  }
  dom::parser parser;
  dom::element root;
  if (parser.parse(*r).get(root)) {
    std::cout << *r << "\n";
    return 0;
  }
  render(root);
  return 0;
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
