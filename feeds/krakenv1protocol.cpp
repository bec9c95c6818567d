#include "krakenv1protocol.h"
