"""The Jinja2 templates of the pages, shared by ``canus serve`` and a static site build."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


class Renderer:
    """Renders the pages; ``base`` is the site's root path ("" when served at /)."""

    def __init__(self, base: str = "") -> None:
        self.base = base

    @cached_property
    def env(self):  # jinja2.Environment, imported only when pages are rendered
        import jinja2

        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        env.globals["base"] = self.base
        return env

    def render(self, template: str, **context: Any) -> bytes:
        """The page ``template`` filled with ``context``, as UTF-8 bytes."""
        return self.env.get_template(template).render(**context).encode("utf-8")

    def warm(self) -> None:
        """Compile every template now (before the workers are forked, so they share them)."""
        for name in ("home.html", "thing.html", "ontology.html", "notfound.html"):
            self.env.get_template(name)


def static_files() -> dict[str, tuple[bytes, str]]:
    """The static assets by file name, read once: no path from a request reaches the disk."""
    types = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}
    files = {}
    for path in sorted(STATIC.iterdir()):
        if path.is_file() and path.suffix in types:
            media = types[path.suffix]
            if not media.startswith("image/"):
                media += "; charset=utf-8"
            files[path.name] = (path.read_bytes(), media)
    return files
