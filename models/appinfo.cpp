#include "appinfo.h"

#include "appversion.h"

namespace tickscope {

AppInfo::AppInfo(QObject *parent)
    : QObject(parent)
{ }

QString AppInfo::name()
{
    return QStringLiteral("Tickscope");
}

QString AppInfo::version()
{
    return QStringLiteral(TICKSCOPE_APP_VERSION);
}

QString AppInfo::qtVersion()
{
    return QString::fromLatin1(qVersion());
}

QString AppInfo::qtBuildVersion()
{
    return QStringLiteral(QT_VERSION_STR);
}

QString AppInfo::protobufVersion()
{
    return QStringLiteral(TICKSCOPE_PROTOBUF_VERSION);
}

QString AppInfo::simdjsonVersion()
{
    return QStringLiteral(TICKSCOPE_SIMDJSON_VERSION);
}

QString AppInfo::homepage()
{
    return QStringLiteral(TICKSCOPE_HOMEPAGE_URL);
}

} // namespace tickscope
