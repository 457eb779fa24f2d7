"""The ontology diagram: canus classes on a circle (siblings side by side), solid arrows for the
properties between them (domain to range) and dashed lines to parent classes. Plain SVG written
here, so it needs no library, no script, and is the same on every build.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from canus._namespaces import ONTOLOGY

Node = dict


def _order(classes: list[Node]) -> list[Node]:
    """Classes in depth-first order of the class tree, so relatives sit together."""
    by_iri = {c["node"]["iri"]: c for c in classes}
    roots = [c for c in classes if not any(p["iri"] in by_iri for p in c["parents"])]
    out: list[Node] = []

    def visit(entry: Node) -> None:
        if entry in out:
            return
        out.append(entry)
        for child in entry["children"]:
            if child["iri"] in by_iri:
                visit(by_iri[child["iri"]])

    for root in roots:
        visit(root)
    out += [c for c in classes if c not in out]
    return out


def diagram(terms: dict, href: Callable[[str], str], width: int = 1200, height: int = 900) -> str:
    """The SVG (a string) of the canus classes and the properties that connect them."""
    classes = _order([c for c in terms["classes"] if c["node"]["iri"].startswith(ONTOLOGY)])
    n = len(classes) or 1
    cx, cy = width / 2, height / 2
    rx, ry = width / 2 - 230, height / 2 - 60  # an ellipse: room for the labels at the sides
    where: dict[str, tuple[float, float]] = {}
    for i, entry in enumerate(classes):
        angle = 2 * math.pi * (i + 0.5) / n - math.pi / 2
        where[entry["node"]["iri"]] = (
            round(cx + rx * math.cos(angle), 1),
            round(cy + ry * math.sin(angle), 1),
        )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="diagram"'
        ' role="img" aria-labelledby="diagram-title">',
        '<title id="diagram-title">Classes of the canus ontology and the properties linking'
        " them / Classes de l'ontologie canus et propriétés qui les relient</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6"'
        ' markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z"'
        ' fill="#8b1a1a"/></marker></defs>',
    ]
    for entry in classes:
        x1, y1 = where[entry["node"]["iri"]]
        for parent in entry["parents"]:
            if parent["iri"] in where:
                x2, y2 = where[parent["iri"]]
                parts.append(
                    f'<line class="sub" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"'
                    ' stroke="#999" stroke-dasharray="4 3"><title>'
                    f"{escape(entry['node']['en'])} ⊂ {escape(parent['en'])}</title></line>"
                )
    for prop in terms["properties"]:
        for domain in prop["domain"]:
            for rng in prop["range"]:
                if domain["iri"] not in where or rng["iri"] not in where:
                    continue
                (x1, y1), (x2, y2) = where[domain["iri"]], where[rng["iri"]]
                if (x1, y1) == (x2, y2):
                    path = f"M{x1},{y1} c40,-60 80,-20 0,0"
                else:
                    mx = round((x1 + x2) / 2 * 0.8 + cx * 0.2, 1)
                    my = round((y1 + y2) / 2 * 0.8 + cy * 0.2, 1)
                    path = f"M{x1},{y1} Q{mx},{my} {x2},{y2}"
                label = f"{domain['en']} —{prop['node']['en']}→ {rng['en']}"
                parts.append(
                    f'<path class="prop" d="{path}" fill="none" stroke="#8b1a1a"'
                    ' stroke-opacity=".45" marker-end="url(#arrow)">'
                    f"<title>{escape(label)}</title></path>"
                )
    for entry in classes:
        x, y = where[entry["node"]["iri"]]
        right = x >= cx
        anchor = "start" if right else "end"
        tx = round(x + (10 if right else -10), 1)
        ty = round(y + 4, 1)
        node = entry["node"]
        parts.append(
            f'<a href={quoteattr(href(node["iri"]))}><circle cx="{x}" cy="{y}" r="6"'
            ' fill="#8b1a1a"/>'
            f'<text x="{tx}" y="{ty}" text-anchor="{anchor}" font-size="13">'
            f'<tspan class="l-en" lang="en">{escape(node["en"])}</tspan>'
            f'<tspan class="l-fr" lang="fr">{escape(node["fr"])}</tspan></text></a>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
