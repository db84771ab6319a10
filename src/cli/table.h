// Table: aligned text columns for people; the --json flag prints the server's JSON instead.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace vitals::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void Row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  // Cells longer than `max_width` are cut with "...".
  void Print(std::ostream& out, size_t max_width = 60) const;
  size_t size() const { return rows_.size(); }

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace vitals::cli
