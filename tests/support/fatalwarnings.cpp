#include "fatalwarnings.h"

#include <QtGlobal>
#include <QtTest>

namespace tickscope::test {

// QTest::failOnWarning exists from Qt 6.3; with a regular expression matching everything it turns
// any unexpected warning into a test failure while still honouring QTest::ignoreMessage.
void installFatalWarnings()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
}

} // namespace tickscope::test
