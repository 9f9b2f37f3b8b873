#pragma once
// A probability as rtaudit reports it: a point value when the sources give one, always with the
// bounds the sources imply. Fractions in [0, 1]; reports print percent.

#include <optional>

namespace rtaudit::miss {

struct Probability {
  std::optional<double> value;  ///< empty when the sources do not determine one (the bounds still hold)
  double lo = 0;
  double hi = 1;
};

}  // namespace rtaudit::miss
