#include "cli/table.h"

#include <algorithm>

namespace vitals::cli {

void Table::Print(std::ostream& out, size_t max_width) const {
  auto cut = [&](const std::string& s) {
    return s.size() <= max_width ? s : s.substr(0, max_width - 3) + "...";
  };
  std::vector<size_t> width(headers_.size());
  for (size_t c = 0; c < headers_.size(); ++c) width[c] = headers_[c].size();
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size() && c < width.size(); ++c) {
      width[c] = std::max(width[c], cut(row[c]).size());
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t c = 0; c < width.size(); ++c) {
      const std::string cell = c < cells.size() ? cut(cells[c]) : "";
      s += cell;
      if (c + 1 < width.size()) s += std::string(width[c] - cell.size() + 2, ' ');
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out << s << "\n";
  };
  line(headers_);
  for (const auto& row : rows_) line(row);
}

}  // namespace vitals::cli
