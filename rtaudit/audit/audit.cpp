#include "rtaudit/audit/audit.hpp"
// Implementation in progress (issue 4).
