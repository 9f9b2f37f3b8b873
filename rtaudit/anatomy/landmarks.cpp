#include "rtaudit/anatomy/landmarks.hpp"
// Implementation in progress (issue 4).
