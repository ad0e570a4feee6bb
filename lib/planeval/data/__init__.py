"""The data pack: format (schema), reading and normalising, validation, the loaded object."""

from planeval.data.pack import DataPack, DataPackError, LoadSummary, Problem
from planeval.data.schema import LEDGER_BY_KEY, LEDGER_BY_NAME, LEDGERS, Field, Ledger

__all__ = [
    "DataPack",
    "DataPackError",
    "LoadSummary",
    "Problem",
    "LEDGERS",
    "LEDGER_BY_KEY",
    "LEDGER_BY_NAME",
    "Field",
    "Ledger",
    "load_pack",
]


def load_pack(path, *, use_cache: bool = True) -> DataPack:
    """Read, normalise and validate the data pack at ``path`` (raises DataPackError)."""
    from planeval.data.load import load_pack as _load

    return _load(path, use_cache=use_cache)
