"""The one loader: reads ontology/ and data/ into a single Oxigraph store, a named graph per file.

Every command goes through :func:`load`, so the files are parsed once per run. The loader also
records the line where each subject block starts, so reports can point a curator at it.
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from canus._errors import InputError
from canus._namespaces import GRAPH, PREFIXES, RDFS, compact, expand
from canus._progress import ProgressReader
from canus._progress import wanted as progress_wanted

TYPE_CHECKING = False  # typing is not imported: the loader starts before anything else
if TYPE_CHECKING:  # pragma: no cover
    import rdflib

ONTOLOGY_FILE = "ontology/canus.ttl"
SHAPES_FILE = "ontology/shapes.ttl"

_PARSE_ERROR = re.compile(
    r"^Parser error at line (\d+)(?: column (\d+)| between columns (\d+) and \d+)?: "
    r"(.*?)(?: \(line \d+\))?$",
    re.S,
)
_DIRECTIVE = re.compile(r"^\s*(@prefix|@base|PREFIX|BASE)\b", re.I)
# the same lines in the file's bytes: after a newline (so the search skips ahead to each "\n"
# in C), blanks, a directive; the first line is matched on its own
_DIRECTIVE_LINE = rb"([ \t\r\f\v]*(?:@prefix|@base|PREFIX|BASE)(?![\w\x80-\xff])[^\n]*)"
_DIRECTIVE_LINES = re.compile(rb"\n" + _DIRECTIVE_LINE, re.I)
_DIRECTIVE_FIRST = re.compile(_DIRECTIVE_LINE, re.I)
_SUBJECT_START = re.compile(r"^(<[^>\s]*>|[A-Za-z][\w.-]*:[\w.%-]*|_:[\w.-]+)\s")


class LoadedFile:
    """One parsed Turtle file: where it is, the graph it went into, where its subjects start.

    ``subjects`` (subject IRI → line its block starts on) is found on first use, from the file
    as it was loaded: loading and exporting never pay for it, a validation report does. If the
    file changed since it was loaded (its checksum differs), no lines are given.
    """

    def __init__(
        self,
        path: Path,
        name: str,
        graph: str,
        prefixes: dict[str, str],
        subjects: dict[str, int] | None = None,
        *,
        checksum: int | None = None,
        size: int = 0,
    ) -> None:
        self.path, self.name, self.graph, self.prefixes = path, name, graph, prefixes
        #: bytes read (the export takes the largest file's graph as the one to stream unfiltered)
        self.size = size
        self._subjects = subjects
        self._checksum = checksum

    def __repr__(self) -> str:
        return f"<LoadedFile {self.name} graph={self.graph}>"

    @property
    def subjects(self) -> dict[str, int]:
        if self._subjects is None:
            found: dict[str, int] = {}
            try:
                raw = _without_bom(self.path.read_bytes())
                if self._checksum is None or zlib.crc32(raw) == self._checksum:
                    found = _subject_lines(raw.decode("utf-8"), self.prefixes)
            except (OSError, UnicodeDecodeError):
                pass
            self._subjects = found
        return self._subjects


def find_root(root: str | os.PathLike[str] | None = None) -> Path:
    """Find the dataset folder: ``root`` if given, else the checkout around the current
    directory, else the copy of the data shipped inside the package."""
    if root is not None:
        path = Path(root)
        if not path.is_dir():
            raise InputError(f"{path}: no such dataset folder")
        return path.resolve()
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / ONTOLOGY_FILE).is_file() and (candidate / "data").is_dir():
            return candidate
    packaged = Path(__file__).resolve().parent / "_dataset"
    if (packaged / ONTOLOGY_FILE).is_file():
        return packaged
    source_checkout = Path(__file__).resolve().parents[2]
    if (source_checkout / ONTOLOGY_FILE).is_file():
        return source_checkout
    raise InputError("no canus dataset found here; run inside a checkout or pass --root DIR")


def dataset_files(root: Path, skipped: list[str] | None = None) -> list[Path]:
    """The files that make up the graph: the ontology (without the shapes), then data/*.ttl.

    Only regular files (or symlinks to them) are read: a FIFO, a device or a folder named
    ``*.ttl`` would hang or fail the loader, so each is left out and described in ``skipped``.
    """
    ontology = root / ONTOLOGY_FILE
    if not ontology.is_file():
        raise InputError(f"{ONTOLOGY_FILE}: missing (looked in {root})")
    data_dir = root / "data"
    if not data_dir.is_dir():
        raise InputError(f"data/: missing (looked in {root})")
    skipped = skipped if skipped is not None else []
    data = [p for p in sorted(data_dir.glob("*.ttl")) if _readable(p, root, skipped)]
    if not data:
        raise InputError("data/: no Turtle (.ttl) files to load")
    extra_ontology = sorted(
        p
        for p in (root / "ontology").glob("*.ttl")
        if p.name not in ("canus.ttl", "shapes.ttl") and _readable(p, root, skipped)
    )
    return [ontology, *extra_ontology, *data]


_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a folder",
}


def _readable(path: Path, root: Path, skipped: list[str]) -> bool:
    """True for a regular file; a special file is noted in ``skipped``; a broken link or a
    symlink loop is an InputError (the curator meant a file there)."""
    display = _display_name(path, root)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{display}: broken symlink to {os.readlink(path)}") from None
    except OSError as exc:
        raise _unreadable(display, exc) from None
    if stat.S_ISREG(mode):
        return True
    kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
    skipped.append(f"{display}: skipped: {kind}, not a regular file")
    return False


def _unreadable(display: str, exc: OSError) -> InputError:
    """The one-line error for a file the system would not read (a symlink loop named as such)."""
    if exc.errno == errno.ELOOP:
        return InputError(f"{display}: symlink loop")
    return InputError(f"{display}: cannot read: {exc.strerror or exc}")


def _display_name(path: Path, root: Path) -> str:
    """``data/agencies.ttl``: the path relative to the dataset folder (symlinks kept as named)."""
    for candidate in (Path(os.path.abspath(path)), Path(os.path.realpath(path))):
        try:
            return candidate.relative_to(root).as_posix()
        except ValueError:
            continue
    return str(path)


def graph_name(display: str) -> str:
    """The named graph a file loads into: ``data/agencies.ttl`` → ``…/graph/data/agencies``."""
    from urllib.parse import quote

    stem = display[:-4] if display.endswith(".ttl") else display
    return GRAPH + quote(stem.lstrip("/"), safe="/-._~")


def _without_bom(raw: bytes) -> bytes:
    return raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw


def read_bytes(path: Path, display: str) -> bytes:
    """The file's bytes (a UTF-8 byte order mark dropped), checked to be UTF-8 without keeping
    a decoded copy; InputError naming the file (and line) if unreadable."""
    try:
        raw = _without_bom(path.read_bytes())
    except FileNotFoundError:
        raise InputError(f"{display}: no such file") from None
    except OSError as exc:
        raise _unreadable(display, exc) from None
    if not raw.isascii():
        read_text(path, display, raw)
    return raw


def read_text(path: Path, display: str, raw: bytes | None = None) -> tuple[bytes, str]:
    """The file's bytes and text (a UTF-8 byte order mark dropped); InputError naming the file
    (and line) if unreadable."""
    if raw is None:
        raw = read_bytes(path, display)
    try:
        return raw, raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"{display}:{line}:{column}: not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded;"
            " save the file as UTF-8"
        ) from None


# Files at least this large are scanned (prefixes, checksum) in a second thread while Oxigraph
# parses them: Oxigraph lets go of the GIL, so the scan costs no wall time on a second core.
_SCAN_ASIDE = 1 << 20


def load_file(
    store: ox.Store, path: Path, display: str, graph: str, *, progress: bool = False
) -> LoadedFile:
    """Parse one Turtle file into ``graph`` of ``store`` (in Oxigraph, no Python per triple);
    ``progress`` shows a bar on a terminal while a big file loads."""
    raw = read_bytes(path, display)
    scan: dict[str, object] = {}

    def scan_file() -> None:
        scan["prefixes"], scan["checksum"] = _declared_prefixes(raw), zlib.crc32(raw)

    aside = threading.Thread(target=scan_file, daemon=True) if len(raw) >= _SCAN_ASIDE else None
    if aside is not None:
        aside.start()
    try:
        if progress and progress_wanted():
            with ProgressReader(io.BytesIO(raw), len(raw), enabled=True, desc=display) as source:
                store.load(source, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
        else:  # the bytes go to Oxigraph whole: no Python call per chunk read
            store.load(raw, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    except SyntaxError as exc:
        raise InputError(_syntax_message(display, str(exc))) from None
    finally:
        if aside is not None:
            aside.join()
    if "checksum" not in scan:  # small file, or the scan aside failed: its error shows here
        scan_file()
    return LoadedFile(
        path,
        display,
        graph,
        scan["prefixes"],  # type: ignore[arg-type]
        checksum=scan["checksum"],  # type: ignore[arg-type]
        size=len(raw),
    )


def _declared_prefixes(raw: bytes) -> dict[str, str]:
    """The prefixes a Turtle file declares, read by Oxigraph from its directive lines (found
    with one regular expression over the bytes, not a Python loop over every line)."""
    first = _DIRECTIVE_FIRST.match(raw)
    lines = [first.group(1)] if first else []
    lines += _DIRECTIVE_LINES.findall(raw)
    directives = b"\n".join(lines)
    try:
        parser = ox.parse(directives, format=ox.RdfFormat.TURTLE)
        for _ in parser:
            pass
        return dict(parser.prefixes)
    except SyntaxError:
        return {}


def _syntax_message(display: str, message: str) -> str:
    match = _PARSE_ERROR.match(message.strip())
    if not match:
        return f"{display}: syntax error: {message.strip()}"
    line, col, col2, detail = match.groups()
    where = f"{display}:{line}" + (f":{col or col2}" if (col or col2) else "")
    return f"{where}: syntax error: {detail.strip()}"


def _subject_lines(text: str, prefixes: dict[str, str]) -> dict[str, int]:
    """Map each subject IRI to the line its block starts on (blocks start in column 0)."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line[0] in " \t#@" or line.startswith(("PREFIX", "BASE", "prefix", "base")):
            continue
        match = _SUBJECT_START.match(line)
        if not match:
            continue
        token = match.group(1)
        if token.startswith("<"):
            iri = token[1:-1]
        elif token.startswith("_:"):
            continue
        else:
            prefix, _, local = token.partition(":")
            if prefix not in prefixes:
                continue
            iri = prefixes[prefix] + local
        found.setdefault(iri, number)
    return found


class KnowledgeGraph:
    """The loaded dataset: an Oxigraph store with one named graph per file, plus where things are.

    ``kg.store`` is the pyoxigraph store (fast SPARQL); ``kg.rdflib`` is an rdflib Dataset view of
    the same store; ``kg.locate(iri)`` says which file and line define a thing.
    """

    def __init__(
        self, root: Path, store: ox.Store, files: list[LoadedFile], skipped: list[str] = ()
    ) -> None:
        self.root = root
        self.store = store
        self.files = files
        #: when loading began (``time.monotonic()``), so later progress counts the whole run
        self.started: float = time.monotonic()
        #: files of data/ that were not read (``data/x.ttl: skipped: a FIFO, ...``)
        self.skipped: list[str] = list(skipped)
        self.prefixes: dict[str, str] = dict(PREFIXES)
        for loaded in files:
            for prefix, ns in loaded.prefixes.items():
                self.prefixes.setdefault(prefix, ns)

    def __len__(self) -> int:
        return len(self.store)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.root} files={len(self.files)} quads={len(self)}>"

    @property
    def shapes_path(self) -> Path:
        """Where the SHACL shapes of this dataset live."""
        return self.root / SHAPES_FILE

    @property
    def queries_dir(self) -> Path:
        """Where the saved queries of this dataset live."""
        return self.root / "queries"

    def expand(self, name: str) -> str:
        """The full IRI of ``id:norad`` (or ``<…>``); a full IRI is returned as it is."""
        return expand(name, self.prefixes) or name

    def locate(self, iri: str) -> tuple[str, int] | None:
        """The file and line where the block of subject ``iri`` (full, or ``id:norad``) starts,
        data files first."""
        iri = self.expand(iri)
        fallback = None
        for loaded in reversed(self.files):
            line = loaded.subjects.get(iri)
            if line is not None:
                if loaded.name.startswith("data/"):
                    return loaded.name, line
                fallback = fallback or (loaded.name, line)
        return fallback

    def defining_file(self, iri: str) -> str | None:
        """The file whose graph holds the subject ``iri`` (even without a line)."""
        iri = self.expand(iri)
        where = self.locate(iri)
        if where:
            return where[0]
        subject = ox.NamedNode(iri)
        for quad in self.store.quads_for_pattern(subject, None, None):
            for loaded in self.files:
                if loaded.graph == quad.graph_name.value:
                    return loaded.name
        return None

    def label(self, iri: str, lang: str = "en") -> str | None:
        """The rdfs:label of ``iri`` in ``lang``, if it has one."""
        for quad in self.store.quads_for_pattern(
            ox.NamedNode(iri), ox.NamedNode(RDFS + "label"), None
        ):
            obj = quad.object
            if isinstance(obj, ox.Literal) and obj.language == lang:
                return obj.value
        return None

    def compact(self, iri: str) -> str:
        """``id:norad`` for a canus IRI; ``<…>`` for one under no known prefix."""
        return compact(iri, self.prefixes)

    def triples(self) -> Iterator[ox.Triple]:
        """Every triple of the union of the files (the union, without graph names)."""
        for quad in self.store:
            yield quad.triple

    @cached_property
    def rdflib(self) -> rdflib.Dataset:
        """An rdflib Dataset over the same Oxigraph store (no copy); its default graph is the
        union of the files, so ``kg.rdflib.query(...)`` and iteration see every triple."""
        import rdflib
        from oxrdflib import OxigraphStore

        dataset = rdflib.Dataset(store=OxigraphStore(store=self.store), default_union=True)
        for prefix, ns in self.prefixes.items():
            dataset.bind(prefix, ns, override=True)
        return dataset

    def to_rdflib_graph(
        self, predicates: set[str] | None = None, graph_class: type | None = None
    ) -> rdflib.Graph:
        """A plain in-memory rdflib Graph of the union (pySHACL is fastest on this store),
        optionally only the triples whose predicate is in ``predicates``; ``graph_class`` is
        an rdflib.Graph subclass to build instead."""
        import rdflib

        from canus._convert import to_rdflib

        graph = (graph_class or rdflib.Graph)()
        for prefix, ns in self.prefixes.items():
            graph.bind(prefix, ns, override=True)
        add = graph.add
        if predicates is None:
            for triple in self.triples():
                add(to_rdflib(triple))
            return graph
        for predicate in sorted(predicates):
            for quad in self.store.quads_for_pattern(None, ox.NamedNode(predicate), None):
                add(to_rdflib(quad.triple))
        return graph


def load(
    root: str | os.PathLike[str] | None = None,
    extra: Iterable[str | os.PathLike[str]] = (),
    *,
    progress: bool = False,
) -> KnowledgeGraph:
    """Load the ontology and data of the dataset at ``root`` (see :func:`find_root`).

    ``extra`` files are loaded as further data files (used to check broken examples).
    Raises :class:`canus.InputError` naming the file and line of any unreadable input; files
    that are not regular files are left out and listed in ``kg.skipped``. ``progress`` shows a
    bar on a terminal while a big file loads.
    """
    started = time.monotonic()
    base = find_root(root)
    skipped: list[str] = []
    paths = dataset_files(base, skipped) + [Path(p) for p in extra]
    store = ox.Store()
    files: list[LoadedFile] = []
    for path in paths:
        display = _display_name(path, base)
        graph = (
            graph_name(display)
            if not Path(display).is_absolute()
            else graph_name("extra/" + path.name)
        )
        files.append(load_file(store, path, display, graph, progress=progress))
    kg = KnowledgeGraph(base, store, files, skipped)
    kg.started = started
    return kg


def parse_turtle_file(path: Path, root: Path | None = None) -> list[ox.Triple]:
    """Parse one Turtle file outside the dataset (the shapes) with the same error messages."""
    display = _display_name(path, root) if root else str(path)
    raw, _ = read_text(path, display)
    try:
        return [q.triple for q in ox.parse(raw, format=ox.RdfFormat.TURTLE)]
    except SyntaxError as exc:
        raise InputError(_syntax_message(display, str(exc))) from None
