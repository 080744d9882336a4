"""azukr: a typed, cited, version-controlled dataset of Azerbaijan–Ukraine relations.

``import azukr`` reads nothing: the data is read on the first ``azukr.load()``, and the
submodules are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Agreement",
    "Aid",
    "Change",
    "Citation",
    "Collection",
    "DataError",
    "Dataset",
    "Diff",
    "Event",
    "Money",
    "PartialDate",
    "Problem",
    "Qualifier",
    "Quantity",
    "RetiredError",
    "Source",
    "Tombstone",
    "Total",
    "__version__",
    "clear_cache",
    "load",
    "validate",
]

_HOMES = {
    "Actor": "model", "Agreement": "model", "Aid": "model", "Citation": "model", "Event": "model",
    "Source": "model", "Tombstone": "model",
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
    if name not in _HOMES:
        raise AttributeError(f"module 'azukr' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:
    from .amounts import Money, Qualifier, Quantity
    from .dataset import Dataset
    from .dates import PartialDate
    from .errors import DataError, Problem, RetiredError
    from .loader import clear_cache, load, validate
    from .model import Actor, Agreement, Aid, Citation, Event, Source, Tombstone
    from .queries import Collection, Total
    from .versioning import Change, Diff
