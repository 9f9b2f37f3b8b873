#pragma once
// The phantom's name for the shared 2-D region helpers (rtaudit/geom/region_ops.hpp).
#include "rtaudit/geom/region_ops.hpp"

namespace rtaudit::phantom {
namespace poly = geom::ops;
}  // namespace rtaudit::phantom
