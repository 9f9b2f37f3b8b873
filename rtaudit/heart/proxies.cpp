// Work in progress (helper H4): see proxies.hpp.
#include "rtaudit/heart/proxies.hpp"
