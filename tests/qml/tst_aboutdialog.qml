import QtQuick
import QtQuick.Controls.Basic
import QtTest
import Tickscope
import Tickscope.Models

// The About dialog: shows the project version (what --version prints) and the Qt, protobuf and
// simdjson versions, and closes with Escape and with its Close button.
TestCase {
    id: testCase
    name: "AboutDialog"
    width: 600
    height: 500
    visible: true
    when: windowShown

    Component {
        id: dialogComponent
        AboutDialog {}
    }

    function findNamed(item, name) {
        if (item.objectName === name)
            return item;
        for (let i = 0; i < item.children.length; ++i) {
            const found = findNamed(item.children[i], name);
            if (found)
                return found;
        }
        return null;
    }

    function test_versions() {
        verify(/^\d+\.\d+\.\d+$/.test(AppInfo.version), AppInfo.version);
        verify(/^6\.\d+\.\d+/.test(AppInfo.qtVersion), AppInfo.qtVersion);
        verify(/^6\.\d+\.\d+/.test(AppInfo.qtBuildVersion), AppInfo.qtBuildVersion);
        verify(/^\d+\.\d+/.test(AppInfo.protobufVersion), AppInfo.protobufVersion);
        verify(/^\d+\.\d+/.test(AppInfo.simdjsonVersion), AppInfo.simdjsonVersion);
        compare(AppInfo.name, "Tickscope");
    }

    function test_showsVersions() {
        const dialog = createTemporaryObject(dialogComponent, testCase);
        dialog.open();
        tryCompare(dialog, "opened", true);
        compare(findNamed(dialog.contentItem, "aboutTitle").text, "Tickscope " + AppInfo.version);
        verify(findNamed(dialog.contentItem, "aboutQt").text.startsWith(AppInfo.qtVersion));
        compare(findNamed(dialog.contentItem, "aboutProtobuf").text, AppInfo.protobufVersion);
        compare(findNamed(dialog.contentItem, "aboutSimdjson").text, AppInfo.simdjsonVersion);
    }

    function test_closesWithEscape() {
        const dialog = createTemporaryObject(dialogComponent, testCase);
        dialog.open();
        tryCompare(dialog, "opened", true);
        keyClick(Qt.Key_Escape);
        tryCompare(dialog, "visible", false);
    }

    function test_closesWithButton() {
        const dialog = createTemporaryObject(dialogComponent, testCase);
        dialog.open();
        tryCompare(dialog, "opened", true);
        const button = findNamed(dialog.contentItem, "aboutClose");
        verify(button);
        mouseClick(button);
        tryCompare(dialog, "visible", false);
    }
}
