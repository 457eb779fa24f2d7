/* The network: who works with whom. A small force layout (seeded, so the picture is the same
   each time), drawn as SVG; every node is a link to its page. Filters: kinds, and a name. */
(function () {
  "use strict";
  var COLORS = { Country: "#1a5fb4", Agency: "#8b1a1a", Command: "#c64600", Program: "#26a269",
    MilitaryOperation: "#613583", Agreement: "#986a44", Organization: "#5e5c64" };

  var svg = window.canus.svg;
  function random(seed) {
    return function () { seed = (seed * 16807) % 2147483647; return (seed - 1) / 2147483646; };
  }

  function layout(nodes, links, width, height) {
    var rnd = random(42), k = Math.sqrt(width * height / Math.max(nodes.length, 1)) * 0.6;
    nodes.forEach(function (n) { n.x = rnd() * width; n.y = rnd() * height; });
    var temperature = width / 8;
    for (var iter = 0; iter < 220; iter++) {
      nodes.forEach(function (n) { n.dx = 0; n.dy = 0; });
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var a = nodes[i], b = nodes[j], dx = a.x - b.x, dy = a.y - b.y;
          var d2 = dx * dx + dy * dy + 0.01, f = k * k / d2;
          a.dx += dx * f; a.dy += dy * f; b.dx -= dx * f; b.dy -= dy * f;
        }
      }
      links.forEach(function (l) {
        var a = l.s, b = l.t, dx = a.x - b.x, dy = a.y - b.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
        var f = d / k;
        a.dx -= dx * f; a.dy -= dy * f; b.dx += dx * f; b.dy += dy * f;
      });
      nodes.forEach(function (n) {
        n.dx += (width / 2 - n.x) * 0.02; n.dy += (height / 2 - n.y) * 0.02;
        var d = Math.sqrt(n.dx * n.dx + n.dy * n.dy) + 0.01, m = Math.min(d, temperature);
        n.x = Math.min(width - 20, Math.max(20, n.x + n.dx / d * m));
        n.y = Math.min(height - 20, Math.max(20, n.y + n.dy / d * m));
      });
      temperature *= 0.98;
    }
  }

  var drawn = null;
  function draw() {
    var data = window.CANUS_NETWORK, box = document.getElementById("network");
    var fr = window.canus.lang() === "fr", base = document.body.getAttribute("data-base") || ".";
    var groups = {};
    var boxes = document.querySelectorAll("#network-filters input[name=group]");
    for (var i = 0; i < boxes.length; i++) { groups[boxes[i].value] = boxes[i].checked; }
    var text = window.canus.fold(document.getElementById("net-filter").value);
    var state = JSON.stringify([groups, text, fr]);
    if (state === drawn) { return; }  /* e.g. the text box's change event when it loses focus */
    drawn = state;
    var keep = data.nodes.map(function (n) { return !!groups[n.group]; });
    if (text) {
      var centre = data.nodes.map(function (n) {
        return [n.en, n.fr].concat(n.alt).some(function (name) {
          return window.canus.fold(name).indexOf(text) >= 0;
        });
      });
      var near = centre.slice();
      data.links.forEach(function (l) {
        if (centre[l.source]) { near[l.target] = true; }
        if (centre[l.target]) { near[l.source] = true; }
      });
      keep = keep.map(function (k, idx) { return k && near[idx]; });
    }
    var nodes = [], byIndex = {};
    data.nodes.forEach(function (n, idx) {
      if (keep[idx]) { byIndex[idx] = { n: n, degree: 0 }; nodes.push(byIndex[idx]); }
    });
    var links = [];
    data.links.forEach(function (l) {
      if (byIndex[l.source] && byIndex[l.target]) {
        links.push({ s: byIndex[l.source], t: byIndex[l.target], l: l });
        byIndex[l.source].degree++; byIndex[l.target].degree++;
      }
    });
    nodes = nodes.filter(function (n) { return n.degree > 0 || text; });
    var width = 1000, height = 800;
    var ranked = nodes.slice().sort(function (a, b) { return b.degree - a.degree; });
    var labelled = ranked.slice(0, 30);
    layout(nodes, links, width, height);
    var root = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img" });
    root.appendChild(svg("title", {})).textContent = fr ? "Réseau" : "Network";
    root.appendChild(svg("rect", { x: 0, y: 0, width: width, height: height, fill: "#fff" }));
    links.forEach(function (l) {
      var line = root.appendChild(svg("line", { x1: l.s.x.toFixed(1), y1: l.s.y.toFixed(1),
        x2: l.t.x.toFixed(1), y2: l.t.y.toFixed(1), stroke: "#b8b8c0" }));
      line.appendChild(svg("title", {})).textContent =
        (fr ? l.s.n.fr : l.s.n.en) + " — " + (fr ? l.l.fr : l.l.en) + " — " + (fr ? l.t.n.fr : l.t.n.en);
    });
    nodes.forEach(function (p) {
      var a = root.appendChild(svg("a", { href: base + "/" + p.n.href, "class": "node" }));
      var r = Math.min(14, 4 + Math.sqrt(p.degree) * 1.6);
      a.appendChild(svg("circle", { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: r.toFixed(1),
        fill: COLORS[p.n.group] || "#888", stroke: "#fff" }));
      a.appendChild(svg("title", {})).textContent = fr ? p.n.fr : p.n.en;
      if (labelled.indexOf(p) >= 0 || nodes.length < 40) {
        var t = a.appendChild(svg("text", { x: (p.x + r + 2).toFixed(1), y: (p.y + 4).toFixed(1) }));
        t.textContent = (fr ? p.n.fr : p.n.en).slice(0, 40);
      }
    });
    box.textContent = "";
    box.appendChild(root);
    document.getElementById("network-count").textContent = nodes.length + " / " + data.nodes.length;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("network-filters");
    form.addEventListener("change", draw);
    form.addEventListener("submit", function (e) { e.preventDefault(); draw(); });
    document.getElementById("net-filter").addEventListener("input", draw);
    document.addEventListener("canus:lang", draw);
    draw();
  });
})();
