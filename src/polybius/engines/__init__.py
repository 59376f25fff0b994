"""Scale-out engines: the same per-document pipeline as :mod:`polybius.ingest`, elsewhere.

- ``dask_engine``: partitions of the input coded on a Dask cluster (a local one by default),
  written as partitioned Parquet, then loaded by the single store writer.

Modules here import their engine's package only when they run, so a missing optional
dependency is a clear error (E090) at use, never at ``import polybius``.
"""

__all__: list[str] = []
