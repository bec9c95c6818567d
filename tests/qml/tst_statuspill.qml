import QtQuick
import QtTest
import Tickscope

// The feed status pill says the state in words and icon, never by colour alone.
TestCase {
    id: testCase
    name: "StatusPill"
    width: 600
    height: 100
    visible: true
    when: windowShown

    Component {
        id: pillComponent
        StatusPill {
            name: "demo"
            displayName: "Demo"
            messageRate: 1990.6
            latencyP50Ms: 5.24
            latencyP99Ms: 11.0
            integrity: "synced"
            reconnects: 0
            gaps: 0
            resyncs: 0
            decodeErrors: 0
            checksumOk: 0
            checksumBad: 0
            lastError: ""
            attempt: 0
            retryAtMs: 0
            staleSinceMs: 0
        }
    }

    function test_states_data() {
        return [
            { tag: "live", state: "Live", text: "Live", severity: "live", icon: "\u25CF", rate: true },
            { tag: "connecting", state: "Connecting", text: "Connecting…", severity: "warning", icon: "\u25B2", rate: false },
            { tag: "reconnecting", state: "Reconnecting", text: "Reconnecting in 4 s (attempt 3)", severity: "warning", icon: "\u25B2", rate: false },
            { tag: "stale", state: "Stale", text: "Stale 7 s", severity: "warning", icon: "\u25B2", rate: false },
            { tag: "paused", state: "Paused", text: "Paused", severity: "idle", icon: "\u275A\u275A", rate: false },
            { tag: "failed", state: "Failed", text: "Failed: certificate not trusted", severity: "error", icon: "\u2716", rate: false },
        ];
    }

    function test_states(data) {
        const pill = createTemporaryObject(pillComponent, testCase, { state: data.state, stateText: data.text });
        verify(pill);
        compare(pill.severity, data.severity);
        compare(pill.icon, data.icon);
        verify(pill.label.indexOf(data.text) >= 0, pill.label);
        compare(pill.label.indexOf("msg/s") >= 0, data.rate); // figures only while live
        compare(pill.Accessible.name, pill.label);
        if (data.rate) {
            verify(pill.label.indexOf("1991 msg/s") >= 0, pill.label);
            verify(pill.label.indexOf("5.2/11.0 ms") >= 0, pill.label);
        }
        // On screen: the figures are drawn by their own NumberText (text rewritten in place), and
        // only while live.
        const figures = findChild(pill, "pillFigures");
        verify(figures);
        compare(figures.text, data.rate ? "  1991 msg/s  5.2/11.0 ms" : "");
        compare(figures.width > 0, data.rate);
    }

    function test_figuresFollowTheFeed() {
        const pill = createTemporaryObject(pillComponent, testCase, { state: "Live", stateText: "Live" });
        const figures = findChild(pill, "pillFigures");
        const width = pill.width;
        pill.messageRate = 100037.4;
        pill.latencyP99Ms = 17.25;
        compare(figures.text, "  100037 msg/s  5.2/17.3 ms");
        verify(pill.label.indexOf("100037 msg/s  5.2/17.3 ms") >= 0, pill.label);
        tryVerify(() => pill.width > width, 1000, "the pill grows with its figures");
        pill.state = "Stale";
        compare(figures.text, "");
    }

    SignalSpy {
        id: activatedSpy
        signalName: "activated"
    }

    function test_reconnectCountdown() {
        const now = 1700000000000;
        const pill = createTemporaryObject(pillComponent, testCase, {
            state: "Reconnecting", stateText: "Reconnecting (attempt 3)", attempt: 3, retryAtMs: now + 3500, now: now
        });
        verify(pill.counting);
        compare(pill.liveStateText, "Reconnecting in 4 s (attempt 3)");
        pill.now = now + 2600;
        compare(pill.liveStateText, "Reconnecting in 1 s (attempt 3)");
        pill.now = now + 3600; // due: the attempt is under way
        compare(pill.liveStateText, "Reconnecting… (attempt 3)");
    }

    function test_staleCountsUp() {
        const now = 1700000000000;
        const pill = createTemporaryObject(pillComponent, testCase, {
            state: "Stale", stateText: "Stale (no data)", staleSinceMs: now - 7200, now: now
        });
        compare(pill.liveStateText, "Stale 7 s");
        verify(pill.label.indexOf("Stale 7 s") >= 0);
        pill.now = now + 1000;
        compare(pill.liveStateText, "Stale 8 s");
    }

    function test_clockRunsOnlyWhenCounting() {
        const live = createTemporaryObject(pillComponent, testCase, { state: "Live", stateText: "Live", now: 5 });
        verify(!live.counting);
        wait(400);
        compare(live.now, 5); // no timer for a healthy feed: an idle app stays idle
        const stale = createTemporaryObject(pillComponent, testCase, {
            state: "Stale", stateText: "Stale", staleSinceMs: Date.now() - 2000, now: 5
        });
        tryVerify(() => stale.now > 5, 1000, "the countdown clock ticks while stale");
        verify(stale.liveStateText.indexOf("Stale 2 s") === 0 || stale.liveStateText.indexOf("Stale 3 s") === 0, stale.liveStateText);
    }

    function test_clickAndKeysAskForDetails() {
        const pill = createTemporaryObject(pillComponent, testCase, { state: "Live", stateText: "Live" });
        activatedSpy.clear();
        activatedSpy.target = pill;
        waitForRendering(pill);
        mouseClick(pill);
        compare(activatedSpy.count, 1);
        pill.forceActiveFocus();
        keyClick(Qt.Key_Return);
        compare(activatedSpy.count, 2);
    }

    function test_coloursDiffer() {
        const live = createTemporaryObject(pillComponent, testCase, { state: "Live", stateText: "Live" });
        const failed = createTemporaryObject(pillComponent, testCase, { state: "Failed", stateText: "Failed" });
        const stale = createTemporaryObject(pillComponent, testCase, { state: "Stale", stateText: "Stale" });
        verify(!Qt.colorEqual(live.tone, failed.tone));
        verify(!Qt.colorEqual(live.tone, stale.tone));
        verify(!Qt.colorEqual(stale.tone, failed.tone));
    }
}
