import QtQuick
import QtQuick.Controls.Basic
import QtTest
import Tickscope

// The feed details popup: counters in words, uptime, and the actions a user needs.
TestCase {
    id: testCase
    name: "FeedDetails"
    width: 600
    height: 500
    visible: true
    when: windowShown

    Component {
        id: detailsComponent
        FeedDetails {
            name: "demo"
            url: "wss://example.test/feed"
            stateName: "Live"
            stateText: "Live"
            integrity: "synced"
            reconnects: 3
            gaps: 2
            resyncs: 2
            checksumOk: 1155
            checksumBad: 1
            decodeErrors: 7
            latencyP50Ms: 4.25
            latencyP99Ms: 12.5
            lastError: "no data for 10 s"
        }
    }
    SignalSpy {
        id: spy
    }

    function textsOf(item, out) {
        if (item.text !== undefined && typeof item.text === "string")
            out.push(item.text);
        for (let i = 0; i < item.children.length; ++i)
            textsOf(item.children[i], out);
        return out;
    }

    function test_showsCounters() {
        const now = Date.now();
        const details = createTemporaryObject(detailsComponent, testCase, { connectedSinceMs: now - 3725000, now: now });
        details.open();
        tryCompare(details, "opened", true);
        compare(details.uptime, "1 h 2 min 5 s");
        const texts = textsOf(details.contentItem, []);
        for (const expected of ["Reconnects", "3", "Sequence gaps", "Book resyncs", "1155 / 1", "Decode errors", "7",
                                "4.3 / 12.5 ms", "no data for 10 s", "wss://example.test/feed"])
            verify(texts.indexOf(expected) >= 0, expected + " in " + JSON.stringify(texts));
    }

    function test_labelsInTheUiFontValuesInDigits() {
        const details = createTemporaryObject(detailsComponent, testCase);
        details.open();
        tryCompare(details, "opened", true);
        const cells = {};
        (function walk(item) {
            if (item.text === "Reconnects" || item.text === "3" || item.text === "demo — Live")
                cells[item.text] = item;
            for (let i = 0; i < item.children.length; ++i)
                walk(item.children[i]);
        })(details.contentItem);
        verify(cells["Reconnects"] && cells["3"] && cells["demo — Live"], JSON.stringify(Object.keys(cells)));
        // A label in the heading's (the application's) family, never an empty one, which the font
        // matcher turns into a serif face; a value in the monospaced digits.
        verify(cells["Reconnects"].font.family.length > 0);
        compare(cells["Reconnects"].font.family, cells["demo — Live"].font.family);
        compare(cells["3"].font.family, Theme.monoFamily);
    }

    function test_cellsFollowTheCountersWithoutBeingRebuilt() {
        const details = createTemporaryObject(detailsComponent, testCase);
        details.open();
        tryCompare(details, "opened", true);
        const cellShowing = text => {
            let found = null;
            (function walk(item) {
                if (!found && item.text === text)
                    found = item;
                for (let i = 0; i < item.children.length && !found; ++i)
                    walk(item.children[i]);
            })(details.contentItem);
            return found;
        };
        const p99Cell = cellShowing("4.3 / 12.5 ms");
        verify(p99Cell, "the latency cell shows");
        // A busy feed changes its latency on every frame: the same cell shows the new value.
        details.latencyP99Ms = 14.75;
        compare(p99Cell.text, "4.3 / 14.8 ms");
        details.reconnects = 4;
        verify(cellShowing("4"), "the new reconnect count shows");
        compare(cellShowing("4.3 / 14.8 ms"), p99Cell, "the cell was updated, not rebuilt");
        // A feed that never delivered has no latency to show.
        details.latencyP50Ms = 0;
        details.latencyP99Ms = 0;
        compare(p99Cell.text, "—");
    }

    function test_notConnected() {
        const details = createTemporaryObject(detailsComponent, testCase, { connectedSinceMs: 0 });
        compare(details.uptime, "not connected");
    }

    function test_actions() {
        const details = createTemporaryObject(detailsComponent, testCase);
        details.open();
        tryCompare(details, "opened", true);
        const buttons = [];
        (function collect(item) {
            if (item instanceof Button)
                buttons.push(item);
            for (let i = 0; i < item.children.length; ++i)
                collect(item.children[i]);
        })(details.contentItem);
        const byText = text => buttons.find(b => b.text === text);
        verify(byText("Reconnect now"));
        verify(byText("Pause"));

        spy.target = details;
        spy.signalName = "reconnectRequested";
        spy.clear();
        mouseClick(byText("Reconnect now"));
        compare(spy.count, 1);

        spy.signalName = "pauseRequested";
        spy.clear();
        mouseClick(byText("Pause"));
        compare(spy.count, 1);

        details.stateName = "Paused"; // the feed reports back: the same button now resumes
        const resume = byText("Resume");
        verify(resume);
        spy.signalName = "resumeRequested";
        spy.clear();
        mouseClick(resume);
        compare(spy.count, 1);
    }
}
