#pragma once

namespace tickscope::test {

/// Makes every qWarning/qCritical that a test did not announce with QTest::ignoreMessage a failure.
/// Call it from every test class's init(): the pattern list is per test function.
void installFatalWarnings();

} // namespace tickscope::test
