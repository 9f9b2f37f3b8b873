#pragma once
// Which breast is treated.

namespace rtaudit::phantom {

enum class Side { Left, Right };

}  // namespace rtaudit::phantom
