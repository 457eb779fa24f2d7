"""The output formats, listed once: the CLI offers these, the library renders them."""

from __future__ import annotations

#: ``canus query --format``: how SELECT/ASK results print (graph results are Turtle).
RESULT_FORMATS = ("table", "csv", "tsv", "json", "md")

#: ``canus export --format``: the RDF formats, then csv (a folder of tables).
EXPORT_FORMATS = ("turtle", "nt", "jsonld", "xml", "trig", "nquads", "csv")
