/* canus static site: the EN/FR switch (remembered) and search over data/search.js.
   No request leaves the page: the search index is a script loaded beside this one. */
(function () {
  "use strict";
  var KEY = "canus-lang";

  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function lang() { return document.documentElement.getAttribute("data-lang") || "en"; }
  function setLang(value, remember) {
    if (value !== "en" && value !== "fr") { return; }
    var root = document.documentElement;
    root.setAttribute("lang", value);
    root.setAttribute("data-lang", value);
    if (remember) { try { localStorage.setItem(KEY, value); } catch (e) { /* private mode */ } }
    var buttons = document.querySelectorAll("[data-set-lang]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-set-lang") === value));
    }
    var options = document.querySelectorAll("option[data-en]");
    for (var j = 0; j < options.length; j++) {
      options[j].textContent = options[j].getAttribute("data-" + value);
    }
    document.dispatchEvent(new CustomEvent("canus:lang", { detail: value }));
  }
  setLang(stored() || "en", false);

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\u2019']/g, " ").replace(/\s+/g, " ").trim();
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) { node.setAttribute(k, attrs[k]); }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function both(en, fr) {
    var span = el("span");
    span.appendChild(el("span", { lang: "en", "class": "l-en" }, en));
    span.appendChild(el("span", { lang: "fr", "class": "l-fr" }, fr));
    return span;
  }

  var index = null;
  function entries() {
    if (!index) {
      index = (window.CANUS_SEARCH || []).map(function (t) {
        return { t: t, names: [fold(t.en), fold(t.fr)].concat(t.alt.map(fold)) };
      });
    }
    return index;
  }
  function rank(entry, q) {
    var best = 9;
    for (var i = 0; i < entry.names.length; i++) {
      var n = entry.names[i];
      if (n === q) { best = Math.min(best, 0); }
      else if (n.indexOf(q) === 0) { best = Math.min(best, 1); }
      else if (n.indexOf(" " + q) >= 0) { best = Math.min(best, 2); }
      else if (n.indexOf(q) >= 0) { best = Math.min(best, 3); }
    }
    return best;
  }
  function search() {
    var input = document.getElementById("search");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var q = fold(input.value);
    list.textContent = "";
    if (!q) { status.textContent = ""; return; }
    var hits = [];
    entries().forEach(function (entry) {
      var r = rank(entry, q);
      if (r < 9) { hits.push([r, entry.t]); }
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1].en.localeCompare(b[1].en); });
    var base = document.body.getAttribute("data-base") || ".";
    hits.slice(0, 50).forEach(function (hit) {
      var t = hit[1], li = el("li"), a = el("a", { href: base + "/" + t.href });
      a.appendChild(both(t.en, t.fr));
      li.appendChild(a);
      var kind = el("span", { "class": "kind" });
      kind.appendChild(both(t.kind.en, t.kind.fr));
      li.appendChild(kind);
      if (t.alt.length) { li.appendChild(el("span", { "class": "kind" }, t.alt.join(", "))); }
      list.appendChild(li);
    });
    status.textContent = hits.length === 0
      ? (lang() === "fr" ? "Aucun résultat." : "No match.")
      : hits.length + (lang() === "fr" ? " résultat(s)" : " match(es)");
  }

  document.addEventListener("DOMContentLoaded", function () {
    setLang(lang(), false);
    document.addEventListener("click", function (event) {
      var target = event.target.closest ? event.target.closest("[data-set-lang]") : null;
      if (target) { setLang(target.getAttribute("data-set-lang"), true); }
    });
    var form = document.getElementById("site-search");
    if (form) {
      var input = document.getElementById("search");
      form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
      input.addEventListener("input", search);
      var asked = new URLSearchParams(location.search).get("q");
      if (asked) { input.value = asked; }
      if (input.value) { search(); }
    }
  });
  function svg(tag, attrs) {  // an SVG element with its attributes (the timeline, the network)
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (var k in attrs) { node.setAttribute(k, attrs[k]); }
    return node;
  }
  window.canus = { lang: lang, fold: fold, both: both, el: el, svg: svg };
})();
