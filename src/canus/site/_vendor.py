"""Oxigraph's WebAssembly build (npm ``oxigraph``), made loadable from ``file://``.

The npm package is an ES module that fetches its ``.wasm`` next to it; browsers refuse both
module scripts and ``fetch`` on pages opened from disk. So the build rewrites ``web.js`` into a
classic script that defines ``window.oxigraph``, and ships the ``.wasm`` bytes as base64 in a
second script: the query page then works from disk and from any static host, with no network.

The package is installed at build time by ``make vendor`` (``npm ci`` in ``vendor/``) and never
fetched from a CDN. Its folder is found in ``$CANUS_VENDOR``, else ``vendor/node_modules`` of
the dataset's checkout.
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

_EXPORT = re.compile(r"^export (?:class|function|async function|const|let) (\w+)", re.M)


def find_oxigraph(root: Path) -> Path | None:
    """The installed npm ``oxigraph`` package folder, or None."""
    candidates = []
    if os.environ.get("CANUS_VENDOR"):
        candidates.append(Path(os.environ["CANUS_VENDOR"]) / "oxigraph")
    candidates.append(root / "vendor" / "node_modules" / "oxigraph")
    candidates.append(Path(__file__).resolve().parents[3] / "vendor" / "node_modules" / "oxigraph")
    for folder in candidates:
        if (folder / "web.js").is_file() and (folder / "web_bg.wasm").is_file():
            return folder
    return None


def classic_script(module_js: str, version: str) -> str:
    """``web.js`` as a classic script: ``export`` dropped, names gathered on ``window.oxigraph``,
    the default loader asked for the bytes it is given rather than a URL of its own."""
    names = _EXPORT.findall(module_js)
    body = _EXPORT.sub(lambda m: m.group(0).replace("export ", "", 1), module_js)
    body = re.sub(r"^export \{[^}]*\};?\s*$", "", body, flags=re.M)
    body = body.replace("new URL('web_bg.wasm', import.meta.url)", "undefined")
    exported = ", ".join(f"{n}: {n}" for n in names)
    return (
        f"/* oxigraph {version} (npm), MIT OR Apache-2.0, https://github.com/oxigraph/oxigraph\n"
        "   Rewritten by canus build into a classic script (window.oxigraph). */\n"
        "(function () {\n"
        f"{body}\n"
        f"window.oxigraph = {{ {exported}, initSync: initSync, init: __wbg_init }};\n"
        "})();\n"
    )


def oxigraph_files(root: Path) -> dict[str, bytes]:
    """``static/oxigraph.js`` and ``static/oxigraph-wasm.js`` for the site, or {} if the npm
    package is not installed (the query page then says so)."""
    folder = find_oxigraph(root)
    if folder is None:
        return {}
    version = json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
    script = classic_script((folder / "web.js").read_text(encoding="utf-8"), version)
    wasm = base64.b64encode((folder / "web_bg.wasm").read_bytes()).decode("ascii")
    return {
        "static/oxigraph.js": script.encode("utf-8"),
        "static/oxigraph-wasm.js": (
            f'/* oxigraph {version} WebAssembly, base64 */\nwindow.OXIGRAPH_WASM = "{wasm}";\n'
        ).encode("ascii"),
    }
