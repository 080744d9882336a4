"""PartialDate: dates at the precision a source gives, in the EDTF level 0/1 forms azukr needs.

Supported forms: ``2022-01-14``, ``2022-03``, ``2022``, a qualifier on any of them (``?``
uncertain, ``~`` approximate, ``%`` both), and intervals of those: ``2022-02-24/2025-04``,
with an open end ``..`` (``2022-02/..``) or an unknown end left empty (``/2022-03-17``).
"""

from __future__ import annotations

import calendar
import datetime
import re
from typing import Literal, Union

import attrs
from dateutil.relativedelta import relativedelta, weekday as _Weekday
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE

Precision = Literal["day", "month", "year"]
_RANK = {"day": 0, "month": 1, "year": 2}
# ASCII digits only: ``\d`` would also take "２０２２" or Arabic-Indic digits
_POINT = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?(?P<mark>[?~%])?")
OPEN: Literal[".."] = ".."
UNKNOWN: Literal[""] = ""


@attrs.frozen
class DatePoint:
    """One calendar date, month or year, possibly uncertain (``?``) or approximate (``~``)."""

    year: int
    month: int | None = None
    day: int | None = None
    uncertain: bool = False
    approximate: bool = False

    @property
    def precision(self) -> Precision:
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    @property
    def earliest(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> datetime.date:
        if self.month is None:
            return datetime.date(self.year, 12, 31)
        last = self.day or calendar.monthrange(self.year, self.month)[1]
        return datetime.date(self.year, self.month, last)

    def __str__(self) -> str:
        # formatted at every sort and print: one f-string per precision, no dict per call
        if self.day is not None:
            text = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        elif self.month is not None:
            text = f"{self.year:04d}-{self.month:02d}"
        else:
            text = f"{self.year:04d}"
        if self.uncertain:
            return text + ("%" if self.approximate else "?")
        return text + "~" if self.approximate else text


Bound = Union[DatePoint, Literal["..", ""]]


def _parse_point(text: str) -> DatePoint:
    match = _POINT.fullmatch(text)
    if not match:
        raise ValueError
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    year = int(match["year"])
    # raises ValueError for month 00 or 13, day 00, 30 February and the like
    datetime.date(year, 1 if month is None else month, 1 if day is None else day)
    return DatePoint(year, month, day, match["mark"] in ("?", "%"), match["mark"] in ("~", "%"))


def _parse_bound(text: str) -> Bound:
    if text == OPEN:
        return OPEN
    if text == UNKNOWN:
        return UNKNOWN
    return _parse_point(text)


@attrs.frozen(order=False)
class PartialDate:
    """A date or interval at the precision its source supports.

    ``earliest`` and ``latest`` bound every day the date could be; an open or unknown
    interval end is unbounded (``date.min`` / ``date.max``). Instances are totally ordered
    by (earliest, latest, text), and ``str()`` gives back the EDTF text.
    """

    start: Bound
    end: Bound | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse EDTF text; raise ``ValueError`` naming the text when it is not a supported date."""
        if not isinstance(text, str):
            raise ValueError(f"{text!r} is not a valid date (expected an EDTF string)")
        try:
            if "/" not in text:
                return cls(_parse_point(text))
            first, _, second = text.partition("/")
            start: Bound = _parse_bound(first)
            end: Bound = _parse_bound(second)
            if not isinstance(start, DatePoint) and not isinstance(end, DatePoint):
                raise ValueError
            date = cls(start, end)
            if date.earliest > date.latest:
                raise ValueError
            return date
        except ValueError:
            raise ValueError(f"{text!r} is not a valid date") from None

    @classmethod
    def coerce(cls, value: PartialDate | datetime.date | str) -> PartialDate:
        """Accept a PartialDate, a ``datetime.date`` or EDTF text: what query methods take."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return cls(DatePoint(value.year, value.month, value.day))
        return cls.parse(value)

    @property
    def is_interval(self) -> bool:
        return self.end is not None

    def _points(self) -> list[DatePoint]:
        return [p for p in (self.start, self.end) if isinstance(p, DatePoint)]

    @property
    def precision(self) -> Precision:
        """The precision of a single date; for an interval, the coarsest of its ends."""
        return max((p.precision for p in self._points()), key=_RANK.__getitem__)

    @property
    def uncertain(self) -> bool:
        return any(p.uncertain for p in self._points())

    @property
    def approximate(self) -> bool:
        return any(p.approximate for p in self._points())

    @property
    def earliest(self) -> datetime.date:
        return self.start.earliest if isinstance(self.start, DatePoint) else datetime.date.min

    @property
    def latest(self) -> datetime.date:
        last = self.start if self.end is None else self.end
        return last.latest if isinstance(last, DatePoint) else datetime.date.max

    @property
    def placed(self) -> datetime.date:
        """The day date order places this date at: its earliest day, or, for an open start
        (``../2018-10-03``, "no later than that day"), its latest, not the beginning of time."""
        earliest = self.earliest
        return earliest if earliest != datetime.date.min else self.latest

    def overlaps(self, start: datetime.date, end: datetime.date) -> bool:
        """True if any day this date could be lies in ``[start, end]``."""
        return self.earliest <= end and start <= self.latest

    def could_be(self, day: datetime.date) -> bool:
        return self.earliest <= day <= self.latest

    def __str__(self) -> str:
        if self.end is None:
            return str(self.start)
        return f"{self.start}/{self.end}"

    def __repr__(self) -> str:
        return f"PartialDate({str(self)!r})"

    def _key(self) -> tuple[datetime.date, datetime.date, str]:
        return (self.earliest, self.latest, str(self))

    @staticmethod
    def _key_of(other: object) -> tuple[datetime.date, datetime.date, str] | None:
        """The order key of a PartialDate, or of a ``datetime.date`` taken as that day's
        PartialDate (so ``PartialDate("2022-02") < date(2022, 3, 1)``); None for anything else."""
        if isinstance(other, PartialDate):
            return other._key()
        if isinstance(other, datetime.date):
            return PartialDate.coerce(other)._key()
        return None

    def __lt__(self, other: object) -> bool:
        key = self._key_of(other)
        return NotImplemented if key is None else self._key() < key

    def __le__(self, other: object) -> bool:
        key = self._key_of(other)
        return NotImplemented if key is None else self._key() <= key

    def __gt__(self, other: object) -> bool:
        key = self._key_of(other)
        return NotImplemented if key is None else self._key() > key

    def __ge__(self, other: object) -> bool:
        key = self._key_of(other)
        return NotImplemented if key is None else self._key() >= key


_WEEKDAYS: dict[str, _Weekday] = {
    "monday": MO, "tuesday": TU, "wednesday": WE, "thursday": TH,
    "friday": FR, "saturday": SA, "sunday": SU,
}


def last_weekday(weekday: str, *, before: datetime.date) -> datetime.date:
    """The latest ``weekday`` strictly before ``before``: "on Sunday" in an article of Monday
    2022-02-28 is 2022-02-27."""
    try:
        target = _WEEKDAYS[weekday.casefold()]
    except KeyError:
        raise ValueError(f"{weekday!r} is not a weekday name") from None
    return before + relativedelta(days=-1, weekday=target(-1))
