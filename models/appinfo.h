#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace tickscope {

/// What the About dialog shows: the application version (the CMake project version, the same text
/// `tickscope --version` prints) and the versions of Qt and of the libraries it was built with.
/// Stateless; QML gets one instance per engine.
class AppInfo : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    /// Application name as shown to users ("Tickscope").
    Q_PROPERTY(QString name READ name CONSTANT)
    /// Application version, e.g. "0.1.0".
    Q_PROPERTY(QString version READ version CONSTANT)
    /// Version of the Qt libraries loaded at run time (qVersion()).
    Q_PROPERTY(QString qtVersion READ qtVersion CONSTANT)
    /// Version of Qt the application was compiled against.
    Q_PROPERTY(QString qtBuildVersion READ qtBuildVersion CONSTANT)
    /// Version of protobuf (demo feed wire format) found when the application was configured.
    Q_PROPERTY(QString protobufVersion READ protobufVersion CONSTANT)
    /// Version of simdjson (venue JSON decoding) found when the application was configured.
    Q_PROPERTY(QString simdjsonVersion READ simdjsonVersion CONSTANT)
    /// Project home page.
    Q_PROPERTY(QString homepage READ homepage CONSTANT)

public:
    explicit AppInfo(QObject *parent = nullptr);

    static QString name();
    static QString version();
    static QString qtVersion();
    static QString qtBuildVersion();
    static QString protobufVersion();
    static QString simdjsonVersion();
    static QString homepage();
};

} // namespace tickscope
