#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkProxy>
#include <QSslCertificate>
#include <QString>

#include <optional>

namespace tickscope {

/// Parsing of the user-facing connection settings of a feed (command line and settings file).
/// Each returns nothing and sets `error` to a sentence for the user when the text is not usable.
namespace feedoptions {

/// "system" (the operating system's proxy settings), "none" (direct), or
/// "http://[user[:password]@]host:port" / "socks5://[user[:password]@]host:port".
std::optional<QNetworkProxy> parseProxy(const QString &text, QString *error);

/// A SHA-256 certificate fingerprint as 64 hex digits, with or without ':' separators.
std::optional<QByteArray> parsePin(const QString &text, QString *error);

/// Every PEM certificate in a file (at least one).
std::optional<QList<QSslCertificate>> loadCertificates(const QString &path, QString *error);

} // namespace feedoptions
} // namespace tickscope
