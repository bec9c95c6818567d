#pragma once
// Okx venue protocol: to be written.
