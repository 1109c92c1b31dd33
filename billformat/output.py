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
import stat
import sys
from pathlib import Path

__all__ = ["AtomicWrites", "OutputError", "TEMP_SUFFIX", "sync_folder", "write_atomic"]

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
    target, direct = _destination(Path(path))
    if direct:
        _write_through(target, data)
        return target
    temporary = _write_temporary(target, data, flush=True)
    try:
        os.replace(temporary, target)
    except BaseException as error:
        _remove(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {target}: {_reason(error)}", target) from error
        raise
    if sync_folder:
        _sync_folder(target.parent)
    return target


class AtomicWrites:
    """Several files written whole or not at all, flushed to disk together.

    ``add`` writes a file's bytes to a temporary file beside it; ``commit``
    flushes all of them to disk in one step, then gives each its name.  As
    with ``write_atomic``, a file's bytes are on disk before it takes its
    name; flushing a batch's files together costs about a third of flushing
    each on its own (one flush of the file system where the system has one,
    Linux's ``syncfs``; elsewhere each file is flushed).  Whatever was added
    and not committed is removed when the ``with`` block ends.

        with AtomicWrites() as writes:
            for name, data in bills:
                writes.add(out / name, data)       # OutputError: nothing left of it
            errors = writes.commit()               # None for each file named

    The folders' new names are flushed by ``sync_folder``, which the caller
    calls once after its last commit.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []  # (target, temporary)

    def __enter__(self) -> AtomicWrites:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def add(self, path: str | os.PathLike[str], data: bytes | str) -> None:
        """Write ``data`` to a temporary file for ``path``; raise ``OutputError``
        (leaving nothing behind) when that cannot be done."""
        target, direct = _destination(Path(path))
        if direct:
            _write_through(target, data)
            return
        temporary = _write_temporary(target, data, flush=False)
        self._pending.append((target, temporary))

    def commit(self) -> list[OutputError | None]:
        """Flush every file added to disk, then name each: for each file, in the
        order added, ``None`` or why it could not be written (then nothing is
        left of it, and any older file of its name is as it was)."""
        pending = self._pending
        errors: list[OutputError | None] = [None] * len(pending)
        for index, error in _flush_files([temporary for _, temporary in pending]).items():
            errors[index] = OutputError(f"cannot write {pending[index][0]}: {_reason(error)}",
                                        pending[index][0])
        named = 0
        try:
            for index, (target, temporary) in enumerate(pending):
                if errors[index] is None:
                    try:
                        os.replace(temporary, target)
                    except OSError as error:
                        _remove(temporary)
                        errors[index] = OutputError(f"cannot write {target}: {_reason(error)}", target)
                else:
                    _remove(temporary)
                named = index + 1
        finally:  # interrupted (Ctrl-C): the files not yet named are discarded
            self._pending = pending[named:]
        return errors

    def discard(self) -> None:
        """Remove the temporary files of everything added and not committed."""
        pending, self._pending = self._pending, []
        for _, temporary in pending:
            _remove(temporary)


def _destination(target: Path) -> tuple[Path, bool]:
    """Where writing ``target`` goes, and whether it is written straight through.

    A symlink is followed: the file it names is replaced, the link kept.  A
    device or a pipe (``/dev/null``, ``/dev/stdout``, a FIFO) cannot be
    replaced whole, and must never be replaced by a plain file: it is
    written to as it is.
    """
    try:
        if target.is_symlink():
            target = Path(os.path.realpath(target))
        mode = os.stat(target).st_mode
    except OSError:
        return target, False  # not there yet (or not reachable): written whole, as usual
    return target, not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_through(target: Path, data: bytes | str) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    try:
        with open(target, "wb") as stream:
            stream.write(payload)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {_reason(error)}", target) from error


def _flush_files(temporaries: list[Path]) -> dict[int, OSError]:
    """Flush the files to disk: those that could not be, by their index.

    One ``syncfs`` for each file system where the system has it (it waits for
    everything written to it, these files among them); each file's own
    ``fsync`` where it has not, or when ``syncfs`` reports an error (so the
    error is told for the file it belongs to).
    """
    syncfs = _syncfs()
    left = list(enumerate(temporaries))
    if syncfs is not None and temporaries:
        flushed: set[int] = set()  # devices
        failed = False
        for _, temporary in left:
            try:
                device = os.stat(temporary).st_dev
            except OSError:
                failed = True  # told below, for the file
                continue
            if device in flushed:
                continue
            handle = os.open(temporary, os.O_RDONLY)
            try:
                failed = failed or syncfs(handle) != 0
            finally:
                os.close(handle)
            flushed.add(device)
        if not failed:
            return {}
    errors: dict[int, OSError] = {}
    for index, temporary in left:
        try:
            handle = os.open(temporary, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)
        except OSError as error:
            errors[index] = error
    return errors


_SYNCFS: list = []  # [the C function, or None], looked up once


def _syncfs():
    """Linux's ``syncfs`` from the C library, or ``None`` where there is none."""
    if not _SYNCFS:
        function = None
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                function = ctypes.CDLL(None, use_errno=True).syncfs
                function.argtypes = [ctypes.c_int]
                function.restype = ctypes.c_int
            except (OSError, AttributeError, ImportError):
                function = None
        _SYNCFS.append(function)
    return _SYNCFS[0]


def _write_temporary(target: Path, data: bytes | str, flush: bool) -> Path:
    """``data`` in a new temporary file beside ``target`` (flushed to disk if
    ``flush``); ``OutputError``, with nothing left behind, when it cannot be."""
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
            if flush:
                stream.flush()
                os.fsync(stream.fileno())
    except BaseException as error:  # also Ctrl-C: never leave the temporary file
        _remove(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {target}: {_reason(error)}", target) from error
        raise
    return temporary


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
