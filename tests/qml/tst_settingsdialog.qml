import QtQuick
import QtQuick.Controls.Basic
import QtTest
import Tickscope
import Tickscope.Models

// The settings dialog with mouse and keyboard: its tabs (Feeds shows the venues), the theme,
// colour-blind palette, UI scale and thousands separators change the workspace and the Theme at
// once; the reconnect and silence spin boxes change the workspace's connection settings, keeping
// the cap above the base. Everything is put back afterwards (the Theme and hub are shared).
TestCase {
    id: testCase
    name: "SettingsDialog"
    width: 900
    height: 720
    visible: true
    when: windowShown

    Component {
        id: dialogComponent
        SettingsDialog {}
    }

    function findNamed(item, name) {
        if (item.objectName === name)
            return item;
        const children = item.children || [];
        for (let i = 0; i < children.length; ++i) {
            const found = findNamed(children[i], name);
            if (found)
                return found;
        }
        if (item.contentItem && item.contentItem !== item) {
            const found = findNamed(item.contentItem, name);
            if (found)
                return found;
        }
        return null;
    }
    function openDialog(tab) {
        const dialog = createTemporaryObject(dialogComponent, testCase);
        verify(dialog);
        dialog.openTab(tab);
        tryCompare(dialog, "opened", true);
        return dialog;
    }
    function named(dialog, name) {
        const item = findNamed(dialog.contentItem, name);
        verify(item, name);
        return item;
    }
    function clickTab(dialog, name) {
        // The tab bar lays its buttons out again when the current tab changes: click where they are.
        waitForItemPolished(named(dialog, "settingsTabs").contentItem);
        mouseClick(named(dialog, name));
    }
    function replaceText(spin, text) {
        spin.forceActiveFocus();
        spin.contentItem.selectAll();
        keyClick(Qt.Key_Delete);
        for (const c of text)
            keyClick(c);
        keyClick(Qt.Key_Return);
    }

    property var saved: ({})

    function initTestCase() {
        const w = MarketHub.workspace;
        saved = {
            dark: w.darkTheme,
            colorBlind: w.colorBlind,
            scale: w.uiScale,
            separators: w.thousandsSeparators,
            base: w.reconnectBaseSeconds,
            cap: w.reconnectCapSeconds,
            silence: w.silenceTimeoutSeconds
        };
    }
    function cleanup() {
        const w = MarketHub.workspace;
        w.darkTheme = saved.dark;
        w.colorBlind = saved.colorBlind;
        w.uiScale = saved.scale;
        w.thousandsSeparators = saved.separators;
        w.reconnectCapSeconds = saved.cap;
        w.reconnectBaseSeconds = saved.base;
        w.silenceTimeoutSeconds = saved.silence;
        Theme.dark = saved.dark;
        Theme.colorBlind = saved.colorBlind;
        Theme.scale = saved.scale;
        Theme.thousandsSeparators = saved.separators;
    }

    function test_tabs() {
        const dialog = openDialog(0);
        const venues = named(dialog, "venueList");
        tryCompare(venues, "count", 6); // the Feeds tab is the feeds page
        clickTab(dialog, "connectionTabButton");
        compare(dialog.currentTab, dialog.connectionTab);
        clickTab(dialog, "appearanceTabButton");
        compare(dialog.currentTab, dialog.appearanceTab);
        keyClick(Qt.Key_Tab, Qt.ControlModifier);
        compare(dialog.currentTab, dialog.connectionTab);
        keyClick(Qt.Key_Escape);
        tryCompare(dialog, "opened", false);
    }

    function test_themeAndPalette() {
        const dialog = openDialog(1);
        verify(Theme.dark);
        mouseClick(named(dialog, "lightRadio"));
        compare(MarketHub.workspace.darkTheme, false);
        compare(Theme.dark, false);
        // The keyboard: Space on the focused radio button.
        const dark = named(dialog, "darkRadio");
        dark.forceActiveFocus();
        keyClick(Qt.Key_Space);
        compare(MarketHub.workspace.darkTheme, true);
        compare(Theme.dark, true);

        const colorBlind = named(dialog, "colorBlindCheck");
        const up = String(Theme.up);
        mouseClick(colorBlind);
        compare(MarketHub.workspace.colorBlind, true);
        verify(String(Theme.up) !== up);
    }

    function test_scale() {
        const dialog = openDialog(1);
        compare(Theme.fontSize, 12);
        const spin = named(dialog, "scaleSpin");
        compare(spin.value, 100);
        spin.forceActiveFocus();
        keyClick(Qt.Key_Up);
        compare(MarketHub.workspace.uiScale, 1.05);
        compare(Theme.scale, 1.05);
        replaceText(spin, "150");
        compare(MarketHub.workspace.uiScale, 1.5);
        compare(Theme.fontSize, 18);
        compare(Theme.rowHeight, 30);
        // The slider follows, and moving it with the keyboard applies too.
        const slider = named(dialog, "scaleSlider");
        compare(slider.value, 150);
        slider.forceActiveFocus();
        keyClick(Qt.Key_Left);
        compare(MarketHub.workspace.uiScale, 1.45);
        compare(spin.value, 145);
        // Out of range is held at the range.
        replaceText(spin, "500");
        compare(MarketHub.workspace.uiScale, 2);
        compare(Theme.scale, 2);
    }

    function test_thousandsSeparators() {
        const dialog = openDialog(1);
        compare(Theme.number("-1234567.125"), "-1234567.125");
        mouseClick(named(dialog, "separatorsCheck"));
        compare(MarketHub.workspace.thousandsSeparators, true);
        compare(Theme.number("-1234567.125"), "-1,234,567.125"); // exact: the fraction as it was
        compare(Theme.number("1234"), "1,234");
        compare(Theme.number("999.99999999"), "999.99999999");
        compare(Theme.number("0.00001234"), "0.00001234");
        compare(Theme.number(""), "");
        compare(Theme.number("+12345678901234567890.5"), "+12,345,678,901,234,567,890.5"); // no float
        verify(named(dialog, "separatorsExample").text.indexOf("1,234,567.89") >= 0);
    }

    function test_connectionTimeouts() {
        const dialog = openDialog(2);
        const w = MarketHub.workspace;
        const silence = named(dialog, "silenceSpin");
        compare(silence.value, Math.round(w.silenceTimeoutSeconds));
        silence.forceActiveFocus();
        const before = w.silenceTimeoutSeconds;
        keyClick(Qt.Key_Up);
        compare(w.silenceTimeoutSeconds, before + 1);
        replaceText(silence, "45");
        compare(w.silenceTimeoutSeconds, 45);

        const base = named(dialog, "baseSpin");
        replaceText(base, "2.5");
        compare(w.reconnectBaseSeconds, 2.5);
        const cap = named(dialog, "capSpin");
        replaceText(cap, "120");
        compare(w.reconnectCapSeconds, 120);
        // A cap below the base brings the base down with it.
        replaceText(cap, "2");
        compare(w.reconnectCapSeconds, 2);
        compare(w.reconnectBaseSeconds, 2);
        tryCompare(base, "value", 200);
        // The mouse: the up indicator.
        mouseClick(cap.up.indicator);
        compare(w.reconnectCapSeconds, 3);
    }
}
