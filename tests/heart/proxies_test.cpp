// Work in progress (helper H4).
#include "rtaudit/heart/proxies.hpp"

#include <gtest/gtest.h>
