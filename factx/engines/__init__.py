"""Running factx's one worker function (`factx.batch.process_documents`) beyond one process.

- `parts`     JSONL / Parquet part files: their contract schema, writing and reading.
- `ray_engine` Ray Data: a callable class in `map_batches` over an actor pool, and the
              `--engine ray` driver (`factx.extraction` records its results).
- `factx.spark` (a module of its own) is the Spark DataFrame API.

Nothing here imports ray, pyspark or pyarrow at module level: `factx --help` and local
runs never load them. A missing extra is one line naming the pip command.
"""

from __future__ import annotations

import importlib

from factx.errors import ExitCode, FactxError

EXTRAS = {"ray": "ray", "ray.data": "ray", "pyspark": "spark", "pyarrow": "ray"}


class MissingExtra(FactxError):
    """An optional engine's packages are not installed."""


class UsageError(FactxError):
    """An input or option this engine cannot take."""

    code = ExitCode.USAGE


def require(module: str, extra: str | None = None):
    """Import `module`, or raise a one-line error naming `pip install "factx[extra]"`."""
    extra = extra or EXTRAS.get(module, module)
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        raise MissingExtra(f"{top} is not installed ({exc.name or top} missing); "
                           f'run: pip install "factx[{extra}]"') from None
