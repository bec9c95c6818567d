#include "logging.h"

Q_LOGGING_CATEGORY(lcFeed, "tickscope.feeds.connection", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDemo, "tickscope.feeds.demo", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSim, "tickscope.feeds.sim", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBook, "tickscope.feeds.book", QtInfoMsg)
