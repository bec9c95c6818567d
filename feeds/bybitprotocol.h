#pragma once
// Bybit venue protocol: to be written.
