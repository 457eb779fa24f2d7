"""Where exports go: stdout, a file replaced atomically, a device or FIFO written through, or a
folder of tables that never loses a file canus did not write.

- ``None`` or ``-`` is stdout.
- A symlink is followed: its target is written, the link stays a link.
- A regular file (or a new one) is written beside, then renamed into place: a reader sees the
  old content or the new, never half. It keeps the mode of the file it replaces; a new file
  follows the umask.
- Anything else that exists (``/dev/null``, ``/dev/stdout``, a FIFO) is opened and written.
- A folder export marks itself with a manifest (:data:`MANIFEST`); only a folder that is empty
  or holds a previous canus export is written without ``force``, and only the files of that
  export are replaced or removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from canus import _worker
from canus._errors import OutputError

MANIFEST = ".canus-export.json"
StrPath = str | os.PathLike[str]


def umask() -> int:
    """The process umask (read without changing it where /proc allows)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fail(path: object, exc: OSError | str) -> OutputError:
    reason = exc if isinstance(exc, str) else (exc.strerror or str(exc))
    return OutputError(f"{path}: cannot write: {reason}")


def is_stdout(path: StrPath | None) -> bool:
    """``None`` and ``-`` mean standard output."""
    return path is None or os.fspath(path) == "-"


@contextlib.contextmanager
def open_output(path: StrPath | None) -> Iterator[BinaryIO]:
    """A binary stream for ``path`` (see the module docstring); on any error or interruption,
    a file being replaced is left as it was and no temporary file stays behind."""
    if is_stdout(path):
        out = sys.stdout.buffer
        yield out
        out.flush()
        return
    given = Path(os.fspath(path))
    try:
        st = given.stat()  # follows symlinks
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _fail(given, exc) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise _fail(given, "it is a folder")
    if st is not None and not stat.S_ISREG(st.st_mode):
        try:
            handle = open(given, "wb")  # noqa: SIM115 - a device or FIFO: written through
        except OSError as exc:
            raise _fail(given, exc) from None
        try:
            with handle:
                yield handle
        except OSError as exc:
            raise _fail(given, exc) from None
        return
    target = Path(os.path.realpath(given))
    with _atomic_file(target, given, st) as handle:
        yield handle


@contextlib.contextmanager
def _atomic_file(target: Path, shown: Path, st: os.stat_result | None) -> Iterator[BinaryIO]:
    """Write beside ``target`` and rename into place with the mode it should have."""
    parent = target.parent
    if not parent.is_dir():
        raise _fail(shown, f"folder {shown.parent} does not exist")
    fds: list[int] = []

    def make() -> Path:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
        fds.append(fd)
        return Path(name)

    try:
        tmp = _worker.create(make)
    except OSError as exc:
        raise _fail(shown, exc) from None
    try:
        with os.fdopen(fds[0], "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            _set_mode(handle.fileno(), st)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _fail(shown, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        _worker.untrack(tmp)


def _set_mode(fd: int, st: os.stat_result | None) -> None:
    """The mode (and, where allowed, owner) of the file replaced, else what the umask gives."""
    if st is None:
        os.fchmod(fd, 0o666 & ~umask())
        return
    os.fchmod(fd, stat.S_IMODE(st.st_mode))
    with contextlib.suppress(OSError):
        os.fchown(fd, st.st_uid, st.st_gid)


def write_bytes(path: StrPath | None, data: bytes) -> None:
    """Write ``data`` to ``path`` (see :func:`open_output`)."""
    with open_output(path) as out:
        out.write(data)


def write_folder(
    path: StrPath, files: dict[str, Callable[[BinaryIO], None]], *, kind: str, force: bool = False
) -> None:
    """Write ``files`` (name → writer) into the folder ``path``, marked as a canus ``kind``
    export.

    A new folder is built beside and renamed into place. An existing folder is written only
    if it is empty, holds a previous canus export (whose files alone are replaced or
    removed), or ``force`` is given (then files of the same name are replaced, others kept).
    """
    shown = Path(os.fspath(path))
    if shown.exists() and not shown.is_dir():
        raise OutputError(f"{shown}: cannot write a folder there: a file is in the way")
    target = Path(os.path.realpath(shown))
    if not target.exists():
        _new_folder(target, shown, files, kind)
        return
    previous = _manifest(target)
    if previous is None and any(target.iterdir()) and not force:
        raise OutputError(
            f"{shown}: folder is not empty and holds no canus {kind} export; "
            "choose an empty or new folder, or pass --force to write the tables into it "
            "(other files are kept)"
        )
    _update_folder(target, shown, files, kind, previous or [])


def _manifest(folder: Path) -> list[str] | None:
    """The files of the canus export in ``folder``, or None if it holds none."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        names = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(names, list):
        return None
    return [n for n in names if isinstance(n, str) and "/" not in n and n not in ("", ".", "..")]


def _fill(folder: Path, files: dict[str, Callable[[BinaryIO], None]], kind: str) -> None:
    mode = 0o666 & ~umask()
    for name, writer in files.items():
        with open(folder / name, "wb") as handle:
            writer(handle)
            os.fchmod(handle.fileno(), mode)
    manifest = {"canus": kind, "files": sorted(files)}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    os.chmod(folder / MANIFEST, mode)


def _new_folder(
    target: Path, shown: Path, files: dict[str, Callable[[BinaryIO], None]], kind: str
) -> None:
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(f"{shown}: cannot write: folder {shown.parent} does not exist")
    try:
        tmp = _worker.create(
            lambda: Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
        )
    except OSError as exc:
        raise _fail(shown, exc) from None
    try:
        _fill(tmp, files, kind)
        os.chmod(tmp, 0o777 & ~umask())
        os.rename(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _fail(shown, exc) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        _worker.untrack(tmp)


def _update_folder(
    target: Path,
    shown: Path,
    files: dict[str, Callable[[BinaryIO], None]],
    kind: str,
    previous: list[str],
) -> None:
    """New tables are written in a hidden folder inside ``target``, then each is renamed over
    its old version; old tables that are gone from the export are removed; the manifest last."""
    try:
        tmp = _worker.create(
            lambda: Path(tempfile.mkdtemp(prefix=".canus-export.", suffix=".tmp", dir=target))
        )
    except OSError as exc:
        raise _fail(shown, exc) from None
    try:
        _fill(tmp, files, kind)
        for name in files:
            old = target / name
            if old.is_file() and not old.is_symlink():
                os.chmod(tmp / name, stat.S_IMODE(old.stat().st_mode))
            if old.is_dir() and not old.is_symlink():
                raise _fail(shown / name, "it is a folder")
            os.replace(tmp / name, old)
        for name in set(previous) - set(files):
            old = target / name
            if old.is_file() or old.is_symlink():
                old.unlink()
        os.replace(tmp / MANIFEST, target / MANIFEST)
    except OSError as exc:
        raise _fail(shown, exc) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        _worker.untrack(tmp)
