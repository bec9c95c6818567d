#pragma once

#include <QBasicTimer>
#include <QObject>
#include <QQuickItem>
#include <QString>
#include <QtQml/qqmlregistration.h>

// C++ bases for the table rows and cells that change every frame.
//
// A string property declared in QML (`property string last`) is stored in the JavaScript heap:
// every write allocates a JS string, and at 100,000 messages/s the rows' writes alone triggered a
// garbage collection about every 100 ms (2–8 ms each, on the GUI thread — the frame-time tail).
// The same properties declared here live in C++ members; the QML files keep the layout and
// bindings and only their root type changes.

namespace tickscope {

/// Exact decimal text as shown: thousands separators in the integer digits when asked for. Text
/// only — no conversion to a number — so sign, fraction and any suffix stay exactly as they were.
/// "-1234567.89" → "-1,234,567.89".
class NumberFormat : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
public:
    using QObject::QObject;

    Q_INVOKABLE static QString number(const QString &text, bool thousandsSeparators);
    /// Characters before the decimal point (all of them when there is none).
    Q_INVOKABLE static int integerDigits(const QString &text);
};

/// The root of PriceText.qml: `value` with its shown form and where its decimal point falls.
class PriceCell : public QQuickItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString value READ value WRITE setValue NOTIFY valueChanged)
    Q_PROPERTY(bool thousandsSeparators READ thousandsSeparators WRITE setThousandsSeparators NOTIFY textChanged)
    /// `value` as shown (with thousands separators when they are on).
    Q_PROPERTY(QString text READ text NOTIFY textChanged)
    /// Characters of `text` before the decimal point.
    Q_PROPERTY(int integerDigits READ integerDigits NOTIFY textChanged)
public:
    using QQuickItem::QQuickItem;

    QString value() const { return m_value; }
    void setValue(const QString &value);
    bool thousandsSeparators() const { return m_separators; }
    void setThousandsSeparators(bool on);
    QString text() const { return m_text; }
    int integerDigits() const { return m_integerDigits; }

    /// The split of `text` on its decimal point (for tests and tools).
    Q_INVOKABLE QString integerPart() const { return m_text.left(m_integerDigits); }
    Q_INVOKABLE QString fractionPart() const { return m_text.mid(m_integerDigits); }

Q_SIGNALS:
    void valueChanged();
    void textChanged();

private:
    void refresh();

    QString m_value;
    QString m_text;
    int m_integerDigits = 0;
    bool m_separators = false;
};

/// What the row bases share: the thousands-separator setting their shown numbers follow.
class RowBase : public QQuickItem
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_PROPERTY(bool thousandsSeparators READ thousandsSeparators WRITE setThousandsSeparators NOTIFY textsChanged)
public:
    using QQuickItem::QQuickItem;

    bool thousandsSeparators() const { return m_separators; }
    void setThousandsSeparators(bool on);

Q_SIGNALS:
    /// The derived texts (sizes with separators, accessible names) changed.
    void textsChanged();

protected:
    QString shown(const QString &number) const { return NumberFormat::number(number, m_separators); }

private:
    bool m_separators = false;
};

// The rows' model roles are C++ properties, REQUIRED: the views set them from the model's roles of
// the same names. Texts derived from them are computed here, not in binding functions (a call to a
// singleton's method from a binding allocates a JavaScript function object every time).

/// The root of WatchlistRow.qml.
class WatchlistRowBase : public tickscope::RowBase // qualified: the QML type registrar reads the name as written
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString symbol MEMBER m_symbol NOTIFY symbolChanged REQUIRED)
    Q_PROPERTY(QString venue MEMBER m_venue NOTIFY venueChanged REQUIRED)
    Q_PROPERTY(QString last READ last WRITE setLast NOTIFY lastChanged REQUIRED)
    Q_PROPERTY(QString changePercent MEMBER m_changePercent NOTIFY changePercentChanged REQUIRED)
    Q_PROPERTY(QString bid MEMBER m_bid NOTIFY bidChanged REQUIRED)
    Q_PROPERTY(QString ask MEMBER m_ask NOTIFY askChanged REQUIRED)
    Q_PROPERTY(QString spread MEMBER m_spread NOTIFY spreadChanged REQUIRED)
    Q_PROPERTY(QString volume READ volume WRITE setVolume NOTIFY volumeChanged REQUIRED)
    Q_PROPERTY(QString integrity MEMBER m_integrity NOTIFY integrityChanged REQUIRED)
    /// `volume` as shown.
    Q_PROPERTY(QString volumeText READ volumeText NOTIFY textsChanged)
    /// True from a change of `last` until kFlashMs after the latest one: the row shows its flash. A
    /// step, not a fade (a fade would keep the window rendering after every tick of every row), timed
    /// here rather than by a QML Timer restarted from a JavaScript handler on every tick.
    Q_PROPERTY(bool flashing READ flashing NOTIFY flashingChanged)
public:
    static constexpr int kFlashMs = 300;

    using RowBase::RowBase;

    QString last() const { return m_last; }
    void setLast(const QString &last);
    bool flashing() const { return m_flashTimer.isActive(); }
    QString volume() const { return m_volume; }
    void setVolume(const QString &volume);
    QString volumeText() const { return shown(m_volume); }

Q_SIGNALS:
    void symbolChanged();
    void venueChanged();
    void lastChanged();
    void changePercentChanged();
    void bidChanged();
    void askChanged();
    void spreadChanged();
    void volumeChanged();
    void integrityChanged();
    void flashingChanged();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    QBasicTimer m_flashTimer;
    QString m_symbol;
    QString m_venue;
    QString m_last;
    QString m_changePercent;
    QString m_bid;
    QString m_ask;
    QString m_spread;
    QString m_volume;
    QString m_integrity;
};

/// The root of LadderRow.qml.
class LadderRowBase : public tickscope::RowBase // qualified: the QML type registrar reads the name as written
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString price READ price WRITE setPrice NOTIFY priceChanged REQUIRED)
    Q_PROPERTY(QString size READ size WRITE setSize NOTIFY sizeChanged REQUIRED)
    Q_PROPERTY(QString cumulativeSize READ cumulativeSize WRITE setCumulativeSize NOTIFY cumulativeSizeChanged REQUIRED)
    Q_PROPERTY(QString sizeText READ sizeText NOTIFY textsChanged)
    Q_PROPERTY(QString cumulativeSizeText READ cumulativeSizeText NOTIFY textsChanged)
    /// "60000.5, size 0.25, total 1.75" for screen readers (the cells draw glyphs, not Text items);
    /// empty for a row without a level.
    Q_PROPERTY(QString accessibleText READ accessibleText NOTIFY textsChanged)
public:
    using RowBase::RowBase;

    QString price() const { return m_price; }
    void setPrice(const QString &price);
    QString size() const { return m_size; }
    void setSize(const QString &size);
    QString cumulativeSize() const { return m_cumulativeSize; }
    void setCumulativeSize(const QString &size);
    QString sizeText() const { return shown(m_size); }
    QString cumulativeSizeText() const { return shown(m_cumulativeSize); }
    QString accessibleText() const;

Q_SIGNALS:
    void priceChanged();
    void sizeChanged();
    void cumulativeSizeChanged();

private:
    QString m_price;
    QString m_size;
    QString m_cumulativeSize;
};

/// The root of a trades-tape row (TradesPane.qml).
class TradeRowBase : public tickscope::RowBase // qualified: the QML type registrar reads the name as written
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString timeText MEMBER m_timeText NOTIFY timeTextChanged REQUIRED)
    Q_PROPERTY(QString price READ price WRITE setPrice NOTIFY priceChanged REQUIRED)
    Q_PROPERTY(QString size READ size WRITE setSize NOTIFY sizeChanged REQUIRED)
    Q_PROPERTY(bool isBuy READ isBuy WRITE setIsBuy NOTIFY isBuyChanged REQUIRED)
    Q_PROPERTY(bool afterGap READ afterGap WRITE setAfterGap NOTIFY afterGapChanged REQUIRED)
    /// "▲ 0.25" / "▼ 0.25": side arrow and size as shown.
    Q_PROPERTY(QString sizeText READ sizeText NOTIFY textsChanged)
    /// "buy 0.25 @ 60000.5", and a note when trades may be missing before this one.
    Q_PROPERTY(QString accessibleText READ accessibleText NOTIFY textsChanged)
public:
    using RowBase::RowBase;

    QString price() const { return m_price; }
    void setPrice(const QString &price);
    QString size() const { return m_size; }
    void setSize(const QString &size);
    bool isBuy() const { return m_isBuy; }
    void setIsBuy(bool isBuy);
    bool afterGap() const { return m_afterGap; }
    void setAfterGap(bool afterGap);
    QString sizeText() const;
    QString accessibleText() const;

Q_SIGNALS:
    void timeTextChanged();
    void priceChanged();
    void sizeChanged();
    void isBuyChanged();
    void afterGapChanged();

private:
    QString m_timeText;
    QString m_price;
    QString m_size;
    bool m_isBuy = false;
    bool m_afterGap = false;
};

} // namespace tickscope
