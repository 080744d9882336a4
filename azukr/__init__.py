"""azukr: a typed, cited, version-controlled dataset of Azerbaijan–Ukraine relations.

``import azukr`` reads nothing: the data is read on the first ``azukr.load()``, and the
submodules are imported on first use.
"""

from __future__ import annotations

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (and re) at run time

__version__ = "0.3.1"

__all__ = [
    "Actor",
    "Agreement",
    "Aid",
    "Backing",
    "Change",
    "Citation",
    "Collection",
    "Corroboration",
    "DataError",
    "Dataset",
    "Diff",
    "Dispute",
    "Event",
    "Money",
    "PartialDate",
    "Position",
    "Problem",
    "Qualifier",
    "Quantity",
    "RetiredError",
    "Source",
    "Tombstone",
    "Total",
    "Voice",
    "__version__",
    "clear_cache",
    "load",
    "validate",
]

_HOMES = {
    "Actor": "model", "Agreement": "model", "Aid": "model", "Citation": "model", "Event": "model",
    "Source": "model", "Tombstone": "model", "Dispute": "model", "Position": "model",
    "Voice": "voices", "Backing": "voices", "Corroboration": "voices",
    "Money": "amounts", "Qualifier": "amounts", "Quantity": "amounts",
    "PartialDate": "dates",
    "DataError": "errors", "Problem": "errors", "RetiredError": "errors",
    "Collection": "queries", "Total": "queries",
    "Dataset": "dataset",
    "Change": "versioning", "Diff": "versioning",
    "load": "loader", "validate": "loader", "clear_cache": "loader",
}


def __getattr__(name: str) -> Any:
    """Import the module that holds ``name`` on first access (PEP 562), keeping import cheap."""
    import importlib

    if name not in _HOMES:
        raise AttributeError(f"module 'azukr' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:
    from typing import Any

    from .amounts import Money, Qualifier, Quantity
    from .dataset import Dataset
    from .dates import PartialDate
    from .errors import DataError, Problem, RetiredError
    from .loader import clear_cache, load, validate
    from .model import Actor, Agreement, Aid, Citation, Dispute, Event, Position, Source, Tombstone
    from .queries import Collection, Total
    from .versioning import Change, Diff
    from .voices import Backing, Corroboration, Voice
