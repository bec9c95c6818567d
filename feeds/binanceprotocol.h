#pragma once
// Binance venue protocol: to be written.
