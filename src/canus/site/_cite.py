"""“Cite this”: a page of the release as plain text, BibTeX and CSL-JSON, with version and date."""

from __future__ import annotations

import json
import re

AUTHOR = "canus contributors"
CONTAINER = "canus: Canada–US security and defence cooperation knowledge graph"


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}&%$#_])", r"\\\1", text)


def citation(title: str, url: str, version: str, date: str, key: str) -> dict[str, str]:
    """``{"text", "bibtex", "csl"}`` for a page titled ``title`` at ``url`` in a release."""
    year, month, day = (int(p) for p in date.split("-"))
    text = f"{AUTHOR} ({year}). {title}. In {CONTAINER}, version {version} ({date}). {url}"
    bibkey = re.sub(r"[^A-Za-z0-9]+", "-", f"canus-{key}-{version}").strip("-")
    bibtex = "\n".join(
        [
            f"@misc{{{bibkey},",
            f"  author = {{{{{AUTHOR}}}}},",
            f"  title = {{{_bibtex_escape(title)}}},",
            f"  howpublished = {{{_bibtex_escape(CONTAINER)}}},",
            f"  version = {{{version}}},",
            f"  year = {{{year}}},",
            f"  date = {{{date}}},",
            f"  url = {{{url}}},",
            "}",
        ]
    )
    csl = {
        "id": bibkey,
        "type": "dataset",
        "title": title,
        "author": [{"literal": AUTHOR}],
        "container-title": CONTAINER,
        "version": version,
        "issued": {"date-parts": [[year, month, day]]},
        "URL": url,
        "publisher": AUTHOR,
    }
    return {"text": text, "bibtex": bibtex, "csl": json.dumps(csl, ensure_ascii=False, indent=1)}
