#pragma once
// Coinbase venue protocol: to be written.
