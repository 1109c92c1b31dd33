"""Write an output file whole or not at all.

``write_atomic`` writes to a temporary file in the target's own folder,
flushes it to disk, then renames it onto the target in one step.  A reader
sees the old file or the new one, never half of one; a failure (a full
disk, Ctrl-C, a bug) removes the temporary file and leaves any existing
target as it was.

    >>> from billformat.output import write_atomic
    >>> write_atomic("out/ro-10492.pdf", pdf_bytes)            # doctest: +SKIP
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

__all__ = ["OutputError", "TEMP_SUFFIX", "sync_folder", "write_atomic"]

# Temporary files are ``.NAME.<random>.tmp`` beside the target: hidden, and
# easy to tell from finished output.
TEMP_SUFFIX = ".tmp"


class OutputError(OSError):
    """An output file that could not be written, said plainly:
    ``cannot write out/ro.pdf: the folder out does not exist``."""

    def __init__(self, message: str, path: str | os.PathLike[str]) -> None:
        super().__init__(message)
        self.path = Path(path)

    def __str__(self) -> str:
        return str(self.args[0])


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *,
                 sync_folder: bool = True) -> Path:
    """Write ``data`` to ``path`` whole or not at all; return the path.

    Text is written as UTF-8.  The file gets the permissions a new file
    normally gets (the umask applies).  Raises ``OutputError`` (an
    ``OSError``) with a plain message when the folder is missing, read-only
    or full; nothing is left behind then.

    With ``sync_folder=False`` the new name is not yet flushed to disk: the
    caller writing many files to one folder calls ``sync_folder`` once after
    them.  Whole-or-nothing holds either way (the file's bytes are flushed
    before it takes its name); a power cut before that call may lose the
    name, leaving the old file or none.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    folder = target.parent
    if not folder.is_dir():
        problem = "is not a folder" if folder.exists() else "does not exist"
        raise OutputError(f"cannot write {target}: the folder {folder} {problem}", target)
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a folder", target)
    temporary, handle = _open_temporary(target)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException as error:  # also Ctrl-C: never leave the temporary file
        _remove(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {target}: {_reason(error)}", target) from error
        raise
    if sync_folder:
        _sync_folder(folder)
    return target


def _open_temporary(target: Path) -> tuple[Path, int]:
    """A new, exclusively created temporary file beside ``target``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        # os.urandom, as secrets.token_hex uses, without importing secrets (and hmac)
        temporary = target.with_name(f".{target.name}.{os.urandom(6).hex()}{TEMP_SUFFIX}")
        try:
            return temporary, os.open(temporary, flags, 0o666)
        except FileExistsError:
            continue
        except OSError as error:
            raise OutputError(f"cannot write {target}: {_reason(error)}", target) from error
    raise OutputError(f"cannot write {target}: no free temporary name in its folder", target)


def _reason(error: OSError) -> str:
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (the folder is read-only for you)"
    if error.errno == errno.EROFS:
        return "the file system is read-only"
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno == errno.ENOENT:
        return "the folder does not exist"
    return (error.strerror or str(error)).lower()


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def sync_folder(folder: str | os.PathLike[str]) -> None:
    """Make the renames in ``folder`` durable, where the system allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


# write_atomic's keyword of the same name hides the public one inside it.
_sync_folder = sync_folder
