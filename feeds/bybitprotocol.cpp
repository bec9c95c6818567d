#include "bybitprotocol.h"
