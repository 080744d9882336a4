"""The azukr dataset as plain data files; ``azukr.load()`` reads them. Nothing else lives here."""

__version__ = "2026.4"
