#include "rtaudit/guideline/reference_ctv.hpp"
// Implementation in progress (issue 4).
