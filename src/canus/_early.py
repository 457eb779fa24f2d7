"""The ``canus`` script's entry point: the dataset starts loading while the command line is read.

Reading the command line means importing click and the command table (about 30 ms), and Oxigraph
parses the files without holding Python's lock, so the two can overlap. From the words of the
command line alone, :func:`guess_root` says whether the command will load the local dataset and
from which ``--root``; a thread then runs :func:`canus.load` with that root. When the command
asks for its data (``canus.cli._load``), it takes that load only if the root click parsed is the
very same text (:func:`take`): ``load(root)`` depends on nothing else, so the answer cannot
differ; a wrong guess is dropped and the command loads as usual.
"""

from __future__ import annotations

import sys
import threading

TYPE_CHECKING = False  # typing itself is not imported: this runs before anything else
if TYPE_CHECKING:  # pragma: no cover
    from canus._load import KnowledgeGraph

#: commands that load the local dataset first (unless given --endpoint)
LOADING = frozenset({"query", "export", "stats", "validate", "build", "serve"})
_STOP = frozenset({"-h", "--help", "--version", "--endpoint"})


class EarlyLoad:
    """``canus.load(root, progress=True)`` running in a daemon thread."""

    def __init__(self, root: str | None) -> None:
        from canus._worker import Background

        self.root = root
        #: set once the loader's modules are imported: from there on Oxigraph does the work
        self.ready = threading.Event()
        self._work = Background(self._load, name="canus-early-load")
        self.finished = self._work.finished

    def _load(self) -> KnowledgeGraph:
        try:
            from canus._load import load
        finally:
            self.ready.set()
        return load(self.root, progress=True)

    def result(self) -> KnowledgeGraph:
        """The loaded graph (waiting for it), or the load's exception."""
        return self._work.result()


_loose: list[EarlyLoad] = []  # started and not taken


def guess_root(argv: list[str]) -> tuple[bool, str | None]:
    """(True, root) when ``canus <argv>`` looks like a command that loads the dataset at
    ``root`` (None: the default); (False, None) when it does not, or when unsure."""
    root: str | None = None
    i = 0
    while i < len(argv) and argv[i].startswith("-"):  # options before the command: --root only
        if argv[i] == "--root" and i + 1 < len(argv):
            root, i = argv[i + 1], i + 2
        elif argv[i].startswith("--root="):
            root, i = argv[i][len("--root=") :], i + 1
        else:
            return False, None
    if i >= len(argv) or argv[i] not in LOADING:
        return False, None
    rest = argv[i + 1 :]
    for j, arg in enumerate(rest):
        if arg == "--":
            break
        if arg in _STOP or arg.startswith("--endpoint="):
            return False, None
        if arg == "--root" and j + 1 < len(rest):
            root = rest[j + 1]
        elif arg.startswith("--root="):
            root = arg[len("--root=") :]
    return True, root


def start(argv: list[str]) -> None:
    """Start loading the dataset the command line names, if it looks like it will need it."""
    loads, root = guess_root(argv)
    if loads:
        early = EarlyLoad(root)
        _loose.append(early)
        # two threads importing at once each wait on the other for Python's lock: the loader's
        # few modules first, then click's while Oxigraph parses
        early.ready.wait(1.0)


def take(root: str | None) -> EarlyLoad | None:
    """The load started for exactly ``root``, handed over once (None if there is none)."""
    for early in _loose:
        if early.root == root:
            _loose.remove(early)
            return early
    return None


def running() -> bool:
    """True while a load nobody took is still inside Oxigraph."""
    return any(not early.finished.is_set() for early in _loose)


def main() -> None:
    """Entry point of the ``canus`` script. Ctrl-C before the command table is read is the
    command's one line and exit 130, as later, not a traceback."""
    try:
        start(sys.argv[1:])
        from canus.cli import main as cli_main
    except KeyboardInterrupt:
        import os

        sys.stderr.write("canus: error: interrupted\n")
        sys.stderr.flush()
        os._exit(130)  # the early load may be inside Oxigraph: do not wait for it
    cli_main()
