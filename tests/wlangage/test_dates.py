"""DateSys / HeureSys / DateHeureSys formats and the date conversions."""

from __future__ import annotations

import datetime
import re

import pytest

import wlsocket
from wlsocket import (
    DateDifference,
    DateHeureSys,
    DateSys,
    DateValide,
    DateVersChaine,
    DateVersEntier,
    DateVersJourEnLettre,
    EntierVersDate,
    EntierVersHeure,
    EntierVersJour,
    EntierVersJourEnLettre,
    HeureSys,
    HeureVersChaine,
    HeureVersEntier,
    Maintenant,
    WLangageError,
)


def test_system_date_and_time_formats():
    before = datetime.datetime.now()
    date, time_, both = DateSys(), HeureSys(), DateHeureSys()
    after = datetime.datetime.now()
    assert re.fullmatch(r"\d{8}", date) and re.fullmatch(r"\d{8}", time_) and re.fullmatch(r"\d{17}", both)
    assert before.strftime("%Y%m%d") <= date <= after.strftime("%Y%m%d")
    assert before.strftime("%H%M%S") <= time_[:6] <= after.strftime("%H%M%S") or before.date() != after.date()
    assert both[:8] == date or before.date() != after.date()
    assert re.fullmatch(r"\d{8}", Maintenant())
    assert 0 <= int(time_[6:]) <= 99 and 0 <= int(both[14:]) <= 999


def test_date_and_time_to_string():
    assert DateVersChaine("20240131") == "31/01/2024"
    assert DateVersChaine("20240131", "AAAA-MM-JJ") == "2024-01-31"
    wlsocket.set_language("fr")
    assert DateVersChaine("20240131", "JJJJ J MMMM AAAA") == "Mercredi 31 janvier 2024"
    assert DateVersJourEnLettre("20240131") == "Mercredi" and EntierVersJourEnLettre(1) == "Mercredi"
    wlsocket.set_language("en")
    assert DateVersChaine(datetime.date(2024, 1, 31), "JJJ MMM AA") == "Wed Jan 24"
    assert HeureVersChaine("13054512") == "13:05:45:12"
    assert HeureVersChaine("1305", "HH:MM") == "13:05"
    assert HeureVersChaine(datetime.time(1, 2, 3, 456000), "HH:MM:SS.CCC") == "01:02:03.456"
    with pytest.raises(WLangageError):
        DateVersChaine("20241301")


def test_integer_dates_count_from_1800():
    assert DateVersEntier("18000101") == 1 and EntierVersDate(1) == "18000101"
    number = DateVersEntier("20240131")
    assert EntierVersDate(number) == "20240131" and EntierVersJour(number) == 3  # a Wednesday
    assert DateDifference("20240101", "20240131") == 30
    assert DateValide("20240229") and not DateValide("20230229") and not DateValide("abc")
    assert HeureVersEntier("01000050") == 360050 and EntierVersHeure(360050) == "01000050"
