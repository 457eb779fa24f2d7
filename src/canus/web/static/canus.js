/* canus pages: the EN/FR switch (remembered), search, saved queries and the query editor.
   Loaded in <head>: the language is set before the page is drawn; the rest waits for the DOM. */
(function () {
  "use strict";
  var KEY = "canus-lang";
  var ID = "https://w3id.org/canus/id/";
  var ONTOLOGY = "https://w3id.org/canus/ontology#";

  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function setLang(lang, remember) {
    if (lang !== "en" && lang !== "fr") { return; }
    var root = document.documentElement;
    root.setAttribute("lang", lang);
    root.setAttribute("data-lang", lang);
    if (remember) { try { localStorage.setItem(KEY, lang); } catch (e) { /* private mode */ } }
    var buttons = document.querySelectorAll("[data-set-lang]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-set-lang") === lang));
    }
  }
  function lang() { return document.documentElement.getAttribute("data-lang") || "en"; }
  setLang(stored() || "en", false);

  function base() { return document.body.getAttribute("data-base") || ""; }
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) { node.setAttribute(k, attrs[k]); }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function shortIri(iri) {
    if (iri.indexOf(ID) === 0) { return "id:" + iri.slice(ID.length); }
    if (iri.indexOf(ONTOLOGY) === 0) { return "canus:" + iri.slice(ONTOLOGY.length); }
    return iri;
  }
  function hrefFor(iri) {
    if (iri.indexOf(ID) === 0) { return base() + "/id/" + iri.slice(ID.length); }
    if (iri.indexOf(ONTOLOGY) === 0) { return base() + "/ontology/" + iri.slice(ONTOLOGY.length); }
    return iri;
  }

  /* ---- search ---------------------------------------------------------------------- */
  var index = null;
  function loadIndex(form) {
    if (index) { return Promise.resolve(index); }
    return fetch(form.getAttribute("data-index")).then(function (r) { return r.json(); })
      .then(function (items) {
        index = items.map(function (t) {
          return { t: t, en: fold(t.en), fr: fold(t.fr), alt: t.alt.map(fold) };
        });
        return index;
      });
  }
  function rank(entry, q) {
    var names = [entry.en, entry.fr].concat(entry.alt), best = 9;
    for (var i = 0; i < names.length; i++) {
      var n = names[i];
      if (n === q) { best = Math.min(best, 0); }
      else if (n.indexOf(q) === 0) { best = Math.min(best, 1); }
      else if (n.indexOf(" " + q) >= 0) { best = Math.min(best, 2); }
      else if (n.indexOf(q) >= 0) { best = Math.min(best, 3); }
    }
    return best;
  }
  function search(form) {
    var input = document.getElementById("search");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var q = fold(input.value);
    if (!q) { list.textContent = ""; status.textContent = ""; return Promise.resolve(); }
    return loadIndex(form).then(function (items) {
      var hits = [];
      for (var i = 0; i < items.length; i++) {
        var r = rank(items[i], q);
        if (r < 9) { hits.push([r, items[i].t]); }
      }
      hits.sort(function (a, b) { return a[0] - b[0] || a[1].en.localeCompare(b[1].en); });
      list.textContent = "";
      hits.slice(0, 30).forEach(function (hit) {
        var t = hit[1], li = el("li"), a = el("a", { href: t.href });
        a.appendChild(el("span", { lang: "en", "class": "l-en" }, t.en));
        a.appendChild(el("span", { lang: "fr", "class": "l-fr" }, t.fr));
        li.appendChild(a);
        var kind = el("span", { "class": "kind" });
        kind.appendChild(el("span", { lang: "en", "class": "l-en" }, t.kind.en));
        kind.appendChild(el("span", { lang: "fr", "class": "l-fr" }, t.kind.fr));
        li.appendChild(kind);
        if (t.alt.length) { li.appendChild(el("span", { "class": "kind" }, t.alt.join(", "))); }
        list.appendChild(li);
      });
      status.textContent = hits.length + (lang() === "fr" ? " résultat(s)" : " result(s)");
    }).catch(function (err) { status.textContent = String(err); });
  }

  /* ---- results as a table ------------------------------------------------------------ */
  function cell(term) {
    var td = el("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      td.appendChild(el("a", { href: hrefFor(term.value), title: term.value }, shortIri(term.value)));
    } else {
      var span = el("span", term["xml:lang"] ? { lang: term["xml:lang"] } : {}, term.value);
      td.appendChild(span);
    }
    return td;
  }
  function showResults(target, data) {
    target.textContent = "";
    if (typeof data.boolean === "boolean") {
      target.appendChild(el("p", { "class": "boolean" }, String(data.boolean)));
      return 1;
    }
    var vars = data.head.vars, rows = data.results.bindings;
    var table = el("table", { "class": "rows" }), head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", { scope: "col" }, v)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    rows.forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    target.appendChild(table);
    return rows.length;
  }
  function fail(target, text) {
    target.textContent = "";
    target.appendChild(el("p", { "class": "error" }, text));
  }
  function answer(response) {
    var type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      return response.text().then(function (t) { throw new Error(t || response.statusText); });
    }
    if (type.indexOf("json") >= 0 && type.indexOf("ld+json") < 0) {
      return response.json();
    }
    return response.text();
  }

  function runSaved(form) {
    var output = form.parentNode.querySelector(".output");
    var params = new URLSearchParams(new FormData(form)).toString();
    var url = base() + "/api/" + form.getAttribute("data-name") + ".json" + (params ? "?" + params : "");
    output.textContent = "…";
    return fetch(url, { headers: { Accept: "application/sparql-results+json" } })
      .then(answer)
      .then(function (data) { showResults(output, data); })
      .catch(function (err) { fail(output, err.message); });
  }

  function savedTexts() {
    var node = document.getElementById("saved-texts");
    return node ? JSON.parse(node.textContent) : {};
  }
  function runEditor() {
    var status = document.getElementById("editor-status");
    var output = document.getElementById("editor-output");
    var text = document.getElementById("editor").value;
    status.textContent = lang() === "fr" ? "Exécution…" : "Running…";
    return fetch(base() + "/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: new URLSearchParams({ query: text }).toString()
    }).then(answer).then(function (data) {
      if (typeof data === "string") {
        output.textContent = "";
        output.appendChild(el("pre", {}, data));
        status.textContent = "";
        return;
      }
      var n = showResults(output, data);
      status.textContent = n + (lang() === "fr" ? " ligne(s)" : " row(s)");
    }).catch(function (err) { status.textContent = ""; fail(output, err.message); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setLang(lang(), false);
    document.addEventListener("click", function (event) {
      var target = event.target.closest("[data-set-lang]");
      if (target) { setLang(target.getAttribute("data-set-lang"), true); }
      var toEditor = event.target.closest(".to-editor");
      if (toEditor) {
        var select = document.getElementById("editor-saved");
        select.value = toEditor.getAttribute("data-name");
        select.dispatchEvent(new Event("change"));
        document.getElementById("editor").focus();
      }
    });
    var searchForm = document.getElementById("search-form");
    if (searchForm) {
      var input = document.getElementById("search");
      input.addEventListener("input", function () { search(searchForm); });
      searchForm.addEventListener("submit", function (event) {
        event.preventDefault();
        search(searchForm).then(function () {
          var first = document.querySelector("#search-results a");
          if (first) { first.focus(); }
        });
      });
    }
    var forms = document.querySelectorAll("form.run-query");
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener("submit", function (event) {
        event.preventDefault();
        runSaved(event.currentTarget);
      });
    }
    var editorForm = document.getElementById("editor-form");
    if (editorForm) {
      var texts = savedTexts();
      document.getElementById("editor-saved").addEventListener("change", function (event) {
        var text = texts[event.target.value];
        if (text) { document.getElementById("editor").value = text; }
      });
      editorForm.addEventListener("submit", function (event) {
        event.preventDefault();
        runEditor();
      });
    }
  });
})();
