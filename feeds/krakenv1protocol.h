#pragma once
// KrakenV1 venue protocol: to be written.
