"""Running factx's one batch function (`factx.batch.extract_batch`) beyond one process.

- `records`   what a worker is given (a file to read, or a JSON-lines record) and the one
              per-document worker function every engine calls.
- `parts`     JSONL / Parquet part files: their contract schema, writing and reading.
- `run`       `factx extract --engine ... [--out DIR]` as a library call.
- `ray_engine` Ray Data: a callable class in `map_batches` over an actor pool.
- `factx.spark` (a module of its own) is the Spark DataFrame API.

Nothing here imports ray, pyspark or pyarrow at module level: `factx --help` and local
runs never load them. A missing extra is one line naming the pip command.
"""

from __future__ import annotations

import importlib

from factx.errors import FactxError

EXTRAS = {"ray": "ray", "ray.data": "ray", "pyspark": "spark", "pyarrow": "ray"}


class MissingExtra(FactxError):
    """An optional engine's packages are not installed."""


def require(module: str, extra: str | None = None):
    """Import `module`, or raise a one-line error naming `pip install "factx[extra]"`."""
    extra = extra or EXTRAS.get(module, module)
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        raise MissingExtra(f"{top} is not installed ({exc.name or top} missing); "
                           f'run: pip install "factx[{extra}]"') from None
