#include "okxprotocol.h"
