#pragma once

#include "handoff.h"

namespace tickscope {

/// Something on the GUI thread that reacts to a drain of the handoff (models, mostly).
/// The FrameDriver calls every listener once per drain, after the MarketCache has applied the batch.
class DrainListener
{
public:
    virtual ~DrainListener() = default;
    virtual void drained(const DrainBatch &batch) = 0;
};

} // namespace tickscope
