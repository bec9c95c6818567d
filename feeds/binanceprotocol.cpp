#include "binanceprotocol.h"
