"""Writing output files without destroying anything: a temporary file beside the target,
renamed into place only once complete. A full disk or an interrupted run leaves the old
file as it was and no stray temporary file behind."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"


def write_atomically(path: str | Path, data: str | bytes) -> None:
    """Write `data` to `path` in one rename: readers see the old file or the new, whole."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    # O_EXCL with mode 0o666: a fresh name, and the umask decides permissions as for any file.
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())  # the rename must not outrun the data on a crash
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def sniff(path: str | Path, size: int = 1024) -> bytes | None:
    """The first bytes of an existing regular file; None when there is none to lose."""
    path = Path(path)
    try:
        if not path.is_file():
            return None if not path.exists() else b"\0not a regular file"
        with path.open("rb") as stream:
            return stream.read(size)
    except OSError:
        return b"\0unreadable"
