"""The exceptions azukr raises and the Problem record that bad data produces."""

from __future__ import annotations

from collections.abc import Iterable

import attrs


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with a data file: where it is and what is wrong.

    ``field`` is the full path of the field, e.g. ``events[x].citations[0].quote``.
    """

    file: str
    record: str | None = None
    field: str | None = None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.field:
            where.append(self.field)
        elif self.record:
            where.append(self.record)
        return ": ".join([*where, self.message])


class DataError(ValueError):
    """Data that cannot be loaded; ``errors`` lists every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.errors: list[Problem] = list(problems)
        count = len(self.errors)
        head = f"{count} problem{'s' if count != 1 else ''} in the data"
        super().__init__("\n".join([head, *map(str, self.errors)]))


class RetiredError(KeyError):
    """A record id that was retired: it names the reason and, if any, the replacement."""

    def __init__(self, record_id: str, reason: str, replaced_by: str | None = None) -> None:
        self.id = record_id
        self.reason = reason
        self.replaced_by = replaced_by
        super().__init__(record_id)

    def __str__(self) -> str:
        text = f"{self.id!r} was retired: {self.reason}"
        if self.replaced_by:
            text += f"; use {self.replaced_by!r}"
        return text
