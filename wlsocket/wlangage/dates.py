"""Dates and times as WLangage writes them: chaînes of digits.

A WLangage date is ``"AAAAMMJJ"`` (``"20240131"``), a time ``"HHMMSSCC"``
(hundredths), a date-time ``"AAAAMMJJHHMMSSCCC"`` (milliseconds).  These
functions take and give those chaînes (a ``datetime.date``/``datetime``/
``time`` is accepted wherever a date or time is expected).  Integer dates
count days from 1 January 1800 (day 1), as WLangage's; days of the week
count from Monday (1) to Sunday (7).  Names of days and months follow the
error-message language (:func:`wlsocket.set_language`).
"""

from __future__ import annotations

import datetime
import re

from .. import errors
from ..errors import raise_error
from ._types import bad_type, need_int

__all__ = [
    "date_sys", "time_sys", "date_time_sys", "now", "today", "date_to_string", "time_to_string",
    "date_valid", "date_to_integer", "integer_to_date", "integer_to_day", "integer_to_day_in_alpha",
    "date_to_day_in_alpha", "date_difference", "time_to_integer", "integer_to_time",
]

_ORIGIN = datetime.date(1800, 1, 1).toordinal() - 1
_DAYS = {
    "fr": ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
_MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}


def _language() -> str:
    return errors._language[0]


def _now() -> datetime.datetime:
    return datetime.datetime.now()


def date_sys() -> str:
    """DateSys / DateSys() -> today as "AAAAMMJJ"."""
    return _now().strftime("%Y%m%d")


def time_sys() -> str:
    """HeureSys / TimeSys() -> now as "HHMMSSCC" (CC: hundredths)."""
    moment = _now()
    return moment.strftime("%H%M%S") + f"{moment.microsecond // 10_000:02d}"


def now() -> str:
    """Maintenant / Now() -> the time as "HHMMSSCC", as HeureSys."""
    return time_sys()


def today() -> str:
    """DateDuJour / Today() -> "AAAAMMJJ", as DateSys."""
    return date_sys()


def date_time_sys() -> str:
    """DateHeureSys / SysDateTime() -> "AAAAMMJJHHMMSSCCC" (CCC: milliseconds)."""
    moment = _now()
    return moment.strftime("%Y%m%d%H%M%S") + f"{moment.microsecond // 1000:03d}"


def _date(value: object, where: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        digits = value.strip()[:8]
        if len(digits) == 8 and digits.isdigit():
            try:
                return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
            except ValueError:
                pass
        raise_error("PARAMETRE_INVALIDE", f"{where}: {value!r} is not a date AAAAMMJJ")
    bad_type(where, value)


def _time(value: object, where: str) -> datetime.time:
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, str):
        digits = value.strip()
        if len(digits) in (4, 6, 8, 9) and digits.isdigit():
            digits = digits.ljust(8, "0")
            try:
                return datetime.time(int(digits[:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6:8]) * 10_000)
            except ValueError:
                pass
        raise_error("PARAMETRE_INVALIDE", f"{where}: {value!r} is not a time HHMMSSCC")
    bad_type(where, value)


def date_valid(value: object) -> bool:
    """DateValide / DateValid(<Date>) -> booléen: a real calendar date "AAAAMMJJ"."""
    try:
        _date(value, "DateValide #1")
    except errors.WLangageError:
        return False
    return True


_DATE_TOKENS = re.compile(r"JJJJ|JJJ|JJ|J|MMMM|MMM|MM|M|AAAA|AA")


def date_to_string(value: object, fmt: object = "JJ/MM/AAAA") -> str:
    """DateVersChaîne / DateToString(<Date> [, <Format>]) -> chaîne.

    Format tokens: ``JJ`` / ``J`` day, ``JJJ`` / ``JJJJ`` day name (short /
    long), ``MM`` / ``M`` month, ``MMM`` / ``MMMM`` month name, ``AAAA`` /
    ``AA`` year; anything else is copied.  Default ``"JJ/MM/AAAA"``."""
    day = _date(value, "DateVersChaîne #1")
    if not isinstance(fmt, str):
        bad_type("DateVersChaîne #2", fmt)
    names, months = _DAYS[_language()], _MONTHS[_language()]

    def token(match: re.Match[str]) -> str:
        text = match.group(0)
        return {
            "JJJJ": names[day.weekday()], "JJJ": names[day.weekday()][:3], "JJ": f"{day.day:02d}",
            "J": str(day.day), "MMMM": months[day.month - 1], "MMM": months[day.month - 1][:3],
            "MM": f"{day.month:02d}", "M": str(day.month), "AAAA": f"{day.year:04d}",
            "AA": f"{day.year % 100:02d}",
        }[text]

    return _DATE_TOKENS.sub(token, fmt)


_TIME_TOKENS = re.compile(r"HH|MM|SS|CCC|CC")


def time_to_string(value: object, fmt: object = "HH:MM:SS:CC") -> str:
    """HeureVersChaîne / TimeToString(<Heure> [, <Format>]) -> chaîne.

    Tokens ``HH``, ``MM``, ``SS``, ``CC`` (hundredths), ``CCC``
    (milliseconds); default ``"HH:MM:SS:CC"``."""
    moment = _time(value, "HeureVersChaîne #1")
    if not isinstance(fmt, str):
        bad_type("HeureVersChaîne #2", fmt)

    def token(match: re.Match[str]) -> str:
        return {
            "HH": f"{moment.hour:02d}", "MM": f"{moment.minute:02d}", "SS": f"{moment.second:02d}",
            "CC": f"{moment.microsecond // 10_000:02d}", "CCC": f"{moment.microsecond // 1000:03d}",
        }[match.group(0)]

    return _TIME_TOKENS.sub(token, fmt)


def date_to_integer(value: object) -> int:
    """DateVersEntier / DateToInteger(<Date>) -> days since 31/12/1799 (01/01/1800 is 1)."""
    return _date(value, "DateVersEntier #1").toordinal() - _ORIGIN


def integer_to_date(number: object) -> str:
    """EntierVersDate / IntegerToDate(<Entier>) -> "AAAAMMJJ" (the inverse of DateVersEntier)."""
    days = need_int(number, "EntierVersDate #1")
    try:
        return datetime.date.fromordinal(days + _ORIGIN).strftime("%Y%m%d")
    except (ValueError, OverflowError):
        raise_error("PARAMETRE_INVALIDE", f"EntierVersDate #1={days}")


def integer_to_day(number: object) -> int:
    """EntierVersJour / IntegerToDay(<Entier>) -> 1 (Monday) to 7 (Sunday)."""
    return _date(integer_to_date(number), "EntierVersJour #1").isoweekday()


def integer_to_day_in_alpha(number: object) -> str:
    """EntierVersJourEnLettre / IntegerToDayInAlpha(<Entier>) -> "Lundi"... ("Monday"... in English)."""
    return _DAYS[_language()][integer_to_day(number) - 1]


def date_to_day_in_alpha(value: object) -> str:
    """DateVersJourEnLettre / DateToDayInAlpha(<Date>) -> the name of its day."""
    return _DAYS[_language()][_date(value, "DateVersJourEnLettre #1").weekday()]


def date_difference(first: object, second: object) -> int:
    """DateDifférence / DateDifference(<Date 1>, <Date 2>) -> days from the first to the second."""
    return (_date(second, "DateDifférence #2") - _date(first, "DateDifférence #1")).days


def time_to_integer(value: object) -> int:
    """HeureVersEntier / TimeToInteger(<Heure>) -> hundredths of a second since midnight."""
    moment = _time(value, "HeureVersEntier #1")
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 100 + moment.microsecond // 10_000


def integer_to_time(number: object) -> str:
    """EntierVersHeure / IntegerToTime(<Entier>) -> "HHMMSSCC" (hundredths since midnight, modulo a day)."""
    hundredths = need_int(number, "EntierVersHeure #1") % 8_640_000
    seconds, cc = divmod(hundredths, 100)
    minutes, ss = divmod(seconds, 60)
    hh, mm = divmod(minutes, 60)
    return f"{hh:02d}{mm:02d}{ss:02d}{cc:02d}"
