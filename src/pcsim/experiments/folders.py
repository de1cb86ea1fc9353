"""Result folders: claimed by one process at a time, written whole, cleaned after an interruption.

Three rules keep concurrent and interrupted work from losing, duplicating or mixing results:

* **A study folder has one writer.** A sweep, sensitivity analysis, response curve or figure set
  writes its folder only while it holds the folder's *claim*: an exclusive ``flock`` on the file
  ``.pcsim.lock`` inside it (:class:`Claim`). The kernel releases the lock when the process ends,
  however it ends (``kill -9`` included), so a claim is never left stale, and a second process that
  asks for a claimed folder is refused at once with the holder's process id.
* **A run folder appears whole.** ``pcsim run`` and ``pcsim compare`` assemble their folder under a
  hidden staging name beside it and rename it into place (:func:`publish`): the rename either takes
  a new or empty folder or fails, so two processes that pick the same name never write one folder.
  A staging folder is itself claimed while it is written, so :func:`clean_stale` can remove the
  ones a killed process left behind without touching one that is still being written.
* **A file appears whole.** Files are written under a temporary name ending ``.part`` and renamed
  (:func:`pcsim.experiments.provenance.write_atomic`); the holder of a study's claim removes the
  ``.part`` files an interrupted writer left (:func:`remove_partial_files`).
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from pcsim.config import ConfigError

LOCK = ".pcsim.lock"
STAGING = ".staging"          # suffix of a staging folder: .<target name>.<random>.staging
PARTIAL = ".part"             # suffix of a file being written: .<file name>.<random>.part
UNLOCKED_STAGING_AGE = 3600   # seconds after which a staging folder without its lock file is stale

_held: dict[Path, list[int]] = {}     # folders this process has claimed: [lock fd, depth]


class Claim:
    """This process's exclusive claim on ``folder`` (created if need be), as a context manager.

    Claims nest within one process (a figure set claims its folder, and each sweep it runs claims its
    own under it, or the same one twice); another process asking for a claimed folder gets a
    ConfigError naming the holder.
    """

    def __init__(self, folder: str | Path, what: str = "folder"):
        self.folder = Path(folder)
        self.what = what

    def __enter__(self) -> Claim:
        make_folder(self.folder, self.what)
        key = self.folder.resolve()
        if key in _held:
            _held[key][1] += 1
            return self
        fd = _lock(self.folder / LOCK, self.what)
        if fd is None:
            raise ConfigError(f"{self.what} {str(self.folder)!r} is being written by another pcsim process "
                              f"({_holder(self.folder / LOCK)}): wait for it to finish, or choose another --out")
        _held[key] = [fd, 1]
        return self

    def __exit__(self, *exc) -> None:
        key = self.folder.resolve()
        entry = _held[key]
        entry[1] -= 1
        if entry[1] == 0:
            del _held[key]
            os.close(entry[0])           # closing the descriptor releases the lock


def _lock(path: Path, what: str) -> int | None:
    """A descriptor holding an exclusive lock on ``path``, or None if another process holds it."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ConfigError(f"{what} {str(path.parent)!r} cannot be written ({exc.strerror}): choose a folder "
                          f"you may write") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def _holder(path: Path) -> str:
    try:
        return f"pid {int(path.read_text().split()[0])}"
    except (OSError, ValueError, IndexError):
        return "pid unknown"


def make_folder(folder: Path, what: str) -> None:
    """Create ``folder`` (and its parents), or say in one line why it cannot be."""
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{what} {str(folder)!r} is a file, not a folder: give a folder for --out")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{what} {str(folder)!r} cannot be created ({exc.strerror}): choose a folder you may "
                          f"write") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ConfigError(f"{what} {str(folder)!r} is not writable: choose a folder you may write")


def check_new_folder(folder: str | Path, what: str = "--out") -> Path:
    """``folder`` as the place for a new run folder: absent or empty, under a parent that can be written."""
    folder = Path(folder)
    if folder.exists():
        if not folder.is_dir():
            raise ConfigError(f"{what} {str(folder)!r} is a file: give a new or empty folder")
        if any(folder.iterdir()):
            raise ConfigError(f"{what} {str(folder)!r} is not empty: give a new or empty folder (a run never "
                              f"writes into another's)")
    parent = _existing_parent(folder)
    if not parent.is_dir():
        raise ConfigError(f"{what} {str(folder)!r}: {str(parent)!r} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ConfigError(f"{what} {str(folder)!r} cannot be written: {str(parent)!r} is not writable")
    return folder


def check_study_folder(folder: str | Path, key: str = "fingerprint", what: str = "--out",
                       begun: str | None = None) -> Path:
    """``folder`` as a study's folder: absent, empty, or one holding a pcsim study, whose ``manifest.json``
    has ``key`` (``fingerprint``: a sweep, SA or response study; ``figures``: a figure set), or which holds
    ``begun`` and no manifest yet (a figure set's ``store``, when it was stopped before the manifest of
    its first figure was written)."""
    folder = Path(folder)
    if folder.exists():
        if not folder.is_dir():
            raise ConfigError(f"{what} {str(folder)!r} is a file: give a folder")
        names = {p.name for p in folder.iterdir()} - {LOCK}
        if begun is not None and begun in names and "manifest.json" not in names:
            return folder
        if names and "manifest.json" not in names:
            raise ConfigError(f"{what} {str(folder)!r} is not empty and holds no pcsim study (no manifest.json): give a "
                              f"new or empty folder, or one a study of the same spec wrote")
        if names:
            _check_manifest(folder / "manifest.json", key, what)
    parent = folder if folder.exists() else _existing_parent(folder)
    if not parent.is_dir():
        raise ConfigError(f"{what} {str(folder)!r}: {str(parent)!r} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ConfigError(f"{what} {str(folder)!r} cannot be written: {str(parent)!r} is not writable")
    return folder


def read_record(path: Path, what: str = "--out") -> Any:
    """A study's record (``manifest.json``, ``calibration.json``), or a ConfigError saying it is damaged."""
    import json

    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path} is damaged ({' '.join(str(exc).split())[:80]}): what the folder holds cannot be "
                          f"told; delete {path.parent} to start again, or give another {what}") from None


def same_study(path: Path, fingerprint: str, what: str = "--out") -> bool:
    """Whether the study record at ``path`` was made by this ``fingerprint`` (resume it); False if there is
    none yet; a ConfigError if it holds another study, so that results of two studies never mix."""
    if not path.exists():
        return False
    record = read_record(path, what)
    if not isinstance(record, dict) or record.get("fingerprint") != fingerprint:
        kind = record.get("experiment", "another kind of result") if isinstance(record, dict) else "?"
        raise ConfigError(f"{path.parent} holds results of a different spec or config ({kind}); choose another "
                          f"{what} (or delete it to start again)")
    return True


def _check_manifest(path: Path, key: str, what: str) -> None:
    manifest = read_record(path, what)
    if not isinstance(manifest, dict) or key not in manifest:
        kind = manifest.get("experiment", "a run") if isinstance(manifest, dict) else "?"
        raise ConfigError(f"{what} {str(path.parent)!r} holds another kind of pcsim result ({kind}): give a new or "
                          f"empty folder, or one a study of the same spec wrote")


def _existing_parent(folder: Path) -> Path:
    parent = folder.absolute().parent
    while not parent.exists():
        parent = parent.parent
    return parent


class Staging:
    """A hidden folder beside ``target`` to assemble a run folder in, claimed while it is written;
    removed on failure, renamed into place by :meth:`publish`."""

    def __init__(self, target: Path):
        self.target = target

    def __enter__(self) -> Staging:
        parent = self.target.parent
        self.created = [p for p in (parent, *parent.parents) if not p.exists()]     # to remove again on failure
        make_folder(parent, "folder")
        clean_stale(parent)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=STAGING, dir=parent))
        self._claim = Claim(self.path, "staging folder")
        self._claim.__enter__()
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self._claim.__exit__(kind, value, traceback)
        if self.path.exists():
            shutil.rmtree(self.path, ignore_errors=True)
        if kind is not None:
            for folder in self.created:              # innermost first; only if still empty
                try:
                    folder.rmdir()
                except OSError:
                    break

    def publish(self, choose_name: bool) -> Path:
        """Rename the staging folder to the target (a new or empty folder). With ``choose_name``, a taken
        target gives way to ``<target>-2``, ``-3``, ...; without, it is an error."""
        (self.path / LOCK).unlink(missing_ok=True)
        self.path.chmod(0o755)
        target, n = self.target, 1
        while True:
            try:
                os.rename(self.path, target)
                return target
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR):
                    raise
                if not choose_name:
                    raise ConfigError(f"--out {str(target)!r} was written by another process meanwhile: give a "
                                      f"new or empty folder") from None
                n += 1
                target = self.target.with_name(f"{self.target.name}-{n}")


def clean_stale(parent: Path) -> list[Path]:
    """Remove the staging folders under ``parent`` that no live process is writing; return them."""
    removed = []
    try:
        candidates = [p for p in parent.iterdir() if p.name.startswith(".") and p.name.endswith(STAGING)]
    except OSError:
        return removed
    for path in candidates:
        lock = path / LOCK
        if lock.exists():
            fd = _lock(lock, "staging folder") if os.access(path, os.W_OK) else None
            if fd is None:
                continue                        # its writer is alive
            os.close(fd)
        elif time.time() - path.stat().st_mtime < UNLOCKED_STAGING_AGE:
            continue                            # being created this very moment, or so it may be
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def remove_partial_files(*folders: Path) -> None:
    """Remove the half-written files (``.*.part``) an interrupted writer left in ``folders``; only the
    holder of their study's claim may call this."""
    for folder in folders:
        if folder.is_dir():
            for path in folder.glob(f".*{PARTIAL}"):
                path.unlink(missing_ok=True)
