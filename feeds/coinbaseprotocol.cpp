#include "coinbaseprotocol.h"
