// Response bodies of probed targets (outside bytes too): the check's keyword and JSON condition
// evaluated on them. The first input line is the JSON condition's path, the rest the body.
#include <string>

#include "fuzz/fuzz_contract.h"
#include "server/checks/check_evaluator.h"

using vitals::fuzz::Require;
using vitals::server::CheckEvaluator;
using vitals::server::CheckSpec;
using vitals::server::JsonOp;
using vitals::server::JsonScalar;

namespace {

constexpr JsonOp kOps[] = {JsonOp::kEq, JsonOp::kNe, JsonOp::kLt,      JsonOp::kLe,
                           JsonOp::kGt, JsonOp::kGe, JsonOp::kContains};

CheckSpec Spec(std::string path, JsonOp op, JsonScalar value) {
  CheckSpec spec;
  spec.url = "http://127.0.0.1:1/";
  spec.body_keyword = "ok";
  spec.keyword_absent = true;
  spec.json_condition = vitals::server::JsonCondition{std::move(path), op, std::move(value)};
  return spec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = vitals::fuzz::Text(data, size);
  const size_t nl = input.find('\n');
  vitals::server::ProbeResult result;
  result.connected = true;
  result.status_code = 200;
  result.body =
      nl == std::string_view::npos ? std::string(input) : std::string(input.substr(nl + 1));
  const std::string path(input.substr(0, std::min(nl, input.size())));
  JsonScalar number{JsonScalar::Type::kNumber, false, 1, ""};
  JsonScalar text{JsonScalar::Type::kString, false, 0, "up"};
  for (JsonOp op : kOps) {
    for (const JsonScalar& value : {number, text}) {
      const auto verdict = CheckEvaluator::Evaluate(Spec(path, op, value), result);
      Require(!verdict.reason.empty(), "a verdict says why");
      Require(!verdict.success || result.body.find("ok") == std::string::npos,
              "an absent keyword that is present fails the check");
    }
  }
  return 0;
}
