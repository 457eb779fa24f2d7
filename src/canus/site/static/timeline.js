/* The timeline: dated things on lanes by kind, filterable by theme and country (an SVG drawn
   from data/timeline.js; the list under it is the same items, for reading and for no-script). */
(function () {
  "use strict";
  var COLORS = { Signing: "#8b1a1a", Agreement: "#986a44", Renewal: "#26a269", Event: "#c64600",
    MilitaryOperation: "#613583", Initiative: "#1a5fb4", Organization: "#5e5c64" };

  var svg = window.canus.svg;
  function label(item) { return window.canus.lang() === "fr" ? item.fr : item.en; }

  function visible(item, theme, country) {
    return (!theme || item.themes.indexOf(theme) >= 0) &&
      (!country || item.countries.indexOf(country) >= 0);
  }

  function draw() {
    var data = window.CANUS_TIMELINE, box = document.getElementById("timeline");
    var theme = document.getElementById("tl-theme").value;
    var country = document.getElementById("tl-country").value;
    var base = document.body.getAttribute("data-base") || ".";
    var shown = data.items.filter(function (i) { return visible(i, theme, country); });
    var all = data.items.map(function (i) { return i.x; }).sort(function (a, b) { return a - b; });
    /* the axis starts at the decade of the 2nd percentile: a few far older things sit at its
       left edge (their tooltips give the real date) instead of squeezing the rest */
    var min = Math.floor(all[Math.floor(all.length * 0.02)] / 10) * 10;
    var max = Math.ceil((all[all.length - 1] + 0.01) / 10) * 10;
    var width = 1000, left = 130, right = 20, top = 24, step = 9;
    function xOf(year) {
      return left + (Math.max(year, min - 2) - min) / (max - min) * (width - left - right);
    }
    var lanes = data.groups.map(function (g) {
      var rows = [];
      var items = shown.filter(function (i) { return i.group === g.id; }).map(function (i) {
        var x = xOf(i.x), row = 0;
        while (rows[row] !== undefined && x - rows[row] < 8) { row++; }
        rows[row] = x;
        return { item: i, x: x, row: row };
      });
      return { group: g, items: items, rows: Math.max(rows.length, 1) };
    });
    var height = top + 10;
    lanes.forEach(function (lane) { lane.y = height; height += lane.rows * step + 22; });
    height += 20;
    var root = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img" });
    root.appendChild(svg("title", {})).textContent = window.canus.lang() === "fr" ? "Chronologie" : "Timeline";
    root.appendChild(svg("rect", { x: 0, y: 0, width: width, height: height, fill: "#fff" }));
    for (var year = min; year <= max; year += 10) {
      var x = xOf(year);
      root.appendChild(svg("line", { x1: x, x2: x, y1: top - 6, y2: height - 16, stroke: "#e2e2e8" }));
      var tick = root.appendChild(svg("text", { x: x, y: top - 10, "text-anchor": "middle" }));
      tick.textContent = String(year);
    }
    lanes.forEach(function (lane) {
      var name = root.appendChild(svg("text", { x: 6, y: lane.y + 10, "font-weight": "600" }));
      name.textContent = window.canus.lang() === "fr" ? lane.group.fr : lane.group.en;
      root.appendChild(svg("line", { x1: left, x2: width - right, y1: lane.y + lane.rows * step + 8,
        y2: lane.y + lane.rows * step + 8, stroke: "#d8d8de" }));
      lane.items.forEach(function (p) {
        var a = root.appendChild(svg("a", { href: base + "/" + p.item.href }));
        a.appendChild(svg("circle", { cx: p.x.toFixed(1), cy: lane.y + 6 + p.row * step, r: 4,
          fill: COLORS[lane.group.id] || "#8b1a1a" }));
        a.appendChild(svg("title", {})).textContent = p.item.date + " — " + label(p.item);
      });
    });
    box.textContent = "";
    box.appendChild(root);
    var list = document.querySelectorAll("#timeline-list li");
    for (var i = 0; i < list.length; i++) {
      var li = list[i];
      var ok = (!theme || (" " + li.getAttribute("data-themes") + " ").indexOf(" " + theme + " ") >= 0) &&
        (!country || (" " + li.getAttribute("data-countries") + " ").indexOf(" " + country + " ") >= 0);
      li.hidden = !ok;
    }
    document.getElementById("timeline-count").textContent = shown.length + " / " + data.items.length;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.getElementById("tl-theme").addEventListener("change", draw);
    document.getElementById("tl-country").addEventListener("change", draw);
    document.addEventListener("canus:lang", draw);
    draw();
  });
})();
