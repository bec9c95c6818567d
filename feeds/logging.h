#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcFeed) // tickscope.feeds.connection
Q_DECLARE_LOGGING_CATEGORY(lcDemo) // tickscope.feeds.demo
Q_DECLARE_LOGGING_CATEGORY(lcSim) // tickscope.feeds.sim
Q_DECLARE_LOGGING_CATEGORY(lcBook) // tickscope.feeds.book
