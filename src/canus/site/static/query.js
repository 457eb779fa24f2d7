/* The query page: SPARQL over the release in the browser, with Oxigraph's WebAssembly build
   (vendored: static/oxigraph.js and the .wasm as base64 in static/oxigraph-wasm.js), the graph
   from data/graph.js (N-Quads, a graph per source file; the default graph is their union). */
(function () {
  "use strict";
  var store = null;

  function bytes(base64) {
    var raw = atob(base64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }
  function ready() {
    if (store) { return Promise.resolve(store); }
    return window.oxigraph.init({ module_or_path: bytes(window.OXIGRAPH_WASM) }).then(function () {
      store = new window.oxigraph.Store();
      store.load(window.CANUS_NQUADS, { format: "application/n-quads" });
      return store;
    });
  }
  function el(tag, attrs, text) { return window.canus.el(tag, attrs, text); }
  function status(en, fr) {
    document.getElementById("query-status").textContent = window.canus.lang() === "fr" ? fr : en;
  }
  function withPrefixes(text) {
    var head = [];
    Object.keys(window.CANUS_PREFIXES).sort().forEach(function (p) {
      if (!new RegExp("PREFIX\\s+" + p + "\\s*:", "i").test(text)) {
        head.push("PREFIX " + p + ": <" + window.CANUS_PREFIXES[p] + ">");
      }
    });
    return head.length ? head.join(" ") + " " + text : text;
  }
  function cell(term) {
    var td = el("td");
    if (!term) { return td; }
    if (term.termType === "NamedNode") {
      var iri = term.value, href = null;
      if (iri.indexOf(window.CANUS_ID) === 0) { href = "id/" + iri.slice(window.CANUS_ID.length) + ".html"; }
      if (href && window.CANUS_PAGES[iri.slice(window.CANUS_ID.length)]) {
        td.appendChild(el("a", { href: href }, "id:" + iri.slice(window.CANUS_ID.length)));
      } else { td.textContent = iri; }
    } else { td.textContent = term.value; }
    return td;
  }
  function render(results) {
    var out = document.getElementById("query-output");
    out.textContent = "";
    if (typeof results === "boolean") { out.appendChild(el("p", {}, String(results))); return 1; }
    if (typeof results === "string") { out.appendChild(el("pre", {}, results)); return 1; }
    var rows = Array.from(results), table = el("table", { "class": "rows" });
    var vars = [];
    rows.forEach(function (row) { row.forEach(function (_, key) { if (vars.indexOf(key) < 0) { vars.push(key); } }); });
    var head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", {}, "?" + v)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    rows.forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row.get(v))); });
      body.appendChild(tr);
    });
    out.appendChild(table);
    return rows.length;
  }
  function run(event) {
    if (event) { event.preventDefault(); }
    var text = document.getElementById("sparql").value;
    status("Running…", "Exécution…");
    return ready().then(function (s) {
      var results = s.query(withPrefixes(text), { use_default_graph_as_union: true, results_format: undefined });
      var n = render(results);
      status(n + " row(s)", n + " ligne(s)");
    }).catch(function (error) {
      document.getElementById("query-output").textContent = "";
      document.getElementById("query-output").appendChild(el("p", { "class": "error" }, String(error)));
      status("Error", "Erreur");
    });
  }
  function load(name) {
    var q = window.CANUS_QUERIES[name];
    if (!q) { return; }
    document.getElementById("saved").value = name;
    document.getElementById("sparql").value = q.text;
    document.getElementById("saved-description").textContent = q.title + ": " + q.description;
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.getElementById("query-form").addEventListener("submit", run);
    document.getElementById("saved").addEventListener("change", function (e) { load(e.target.value); });
    var links = document.querySelectorAll(".load-query");
    for (var i = 0; i < links.length; i++) {
      links[i].addEventListener("click", function (e) {
        load(e.target.getAttribute("data-name"));
        document.getElementById("sparql").scrollIntoView();
      });
    }
    var name = decodeURIComponent(location.hash.slice(1));
    if (name && window.CANUS_QUERIES[name]) { load(name); }
  });
  window.canusQuery = { run: run, load: load };
})();
