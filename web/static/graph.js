// The neighbourhood walk: Cytoscape draws the graph from the page's JSON twin; clicking a
// project re-centres the walk there (history.pushState: back/forward and shareable URLs).
(function () {
  "use strict";
  const container = document.getElementById("graph");
  if (!container || typeof cytoscape === "undefined") return;
  const details = document.getElementById("graph-details");
  const palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56b4e9",
                   "#882255", "#444444", "#e69f00", "#117733", "#332288", "#aa4499"];
  let cy = null;

  function nodeColor(node) {
    return node.nicheNumber ? palette[(node.nicheNumber - 1) % palette.length] : "#b8c0c8";
  }

  function elements(data) {
    const top = Math.max(1, ...data.nodes.map(function (n) { return n.openrank || 0; }));
    const nodes = data.nodes.map(function (n) {
      return { data: {
        id: n.repo, label: n.repo.split("/")[1], repo: n.repo, depth: n.depth,
        size: 22 + 58 * Math.sqrt((n.openrank || 0) / top), color: nodeColor(n),
        openrank: n.openrank, niche: n.nicheLabel, nicheNumber: n.nicheNumber, domain: n.domain,
        center: n.repo === data.center ? 1 : 0 } };
    });
    const edges = data.edges.map(function (e, i) {
      return { data: {
        id: "e" + i, source: e.source, target: e.target, kind: e.type,
        width: e.type === "collaborates" ? 1 + 60 * Math.sqrt(e.weight || 0) : 3,
        weight: e.weight, confidence: e.confidence, reason: e.reason, shared: e.sharedDevelopers } };
    });
    return nodes.concat(edges);
  }

  function style() {
    return [
      { selector: "node", style: {
        "background-color": "data(color)", width: "data(size)", height: "data(size)",
        label: "data(label)", "font-size": 11, color: "#1b1f24", "text-valign": "bottom",
        "text-margin-y": 3, "text-outline-color": "#ffffff", "text-outline-width": 2 } },
      { selector: "node[center = 1]", style: { "border-width": 5, "border-color": "#10263d", "font-weight": "bold", "font-size": 14 } },
      { selector: "edge", style: { width: "data(width)", "curve-style": "bezier", opacity: 0.75 } },
      { selector: "edge[kind = 'collaborates']", style: { "line-color": "#9aa5b1" } },
      { selector: "edge[kind = 'upstream']", style: { "line-color": "#0b5cad", "target-arrow-color": "#0b5cad", "target-arrow-shape": "triangle", "arrow-scale": 1.3 } },
      { selector: "edge[kind = 'competitor']", style: { "line-color": "#c0392b", "line-style": "dashed" } },
      { selector: "edge[kind = 'peer']", style: { "line-color": "#3f8f5f", "line-style": "dotted" } },
      { selector: ".faded", style: { opacity: 0.15 } },
    ];
  }

  function fmt(value, digits) {
    return value === null || value === undefined ? "–" : Number(value).toLocaleString(undefined, { maximumFractionDigits: digits });
  }

  function show(lines) {
    details.replaceChildren();
    lines.forEach(function (line) {
      const p = document.createElement("p");
      p.textContent = line;
      details.append(p);
    });
  }

  function render(data) {
    document.getElementById("center-name").textContent = data.center;
    document.title = "Neighbourhood of " + data.center + " · nichegraph";
    if (cy) cy.destroy();
    cy = cytoscape({
      container: container, elements: elements(data), style: style(),
      layout: { name: "concentric", concentric: function (n) { return 10 - n.data("depth"); },
                levelWidth: function () { return 1; }, minNodeSpacing: 12, animate: false },
      minZoom: 0.2, maxZoom: 3,
    });
    window.nichegraphGraph = cy; // for the browser tests and the curious
    cy.on("mouseover", "node", function (event) {
      const n = event.target.data();
      cy.elements().addClass("faded");
      event.target.closedNeighborhood().removeClass("faded");
      show([n.repo, "niche: " + (n.niche || "unassigned"), "mean OpenRank: " + fmt(n.openrank, 1),
            "steps from the centre: " + n.depth, n.domain ? "landscape domain: " + n.domain : ""]);
    });
    cy.on("mouseout", "node", function () { cy.elements().removeClass("faded"); });
    cy.on("mouseover", "edge", function (event) {
      const e = event.target.data();
      show([e.source + (e.kind === "upstream" ? " is upstream of " : e.kind === "collaborates" ? " collaborates with " : " " + e.kind + " ") + e.target,
            e.kind === "collaborates" ? "weight " + fmt(e.weight, 4) + ", " + e.shared + " shared developers"
                                      : "confidence " + fmt(e.confidence, 2),
            e.reason || ""]);
    });
    cy.on("tap", "node", function (event) { walkTo(event.target.id()); });
    updateTables(data);
  }

  function cell(text, numeric) {
    const td = document.createElement("td");
    td.textContent = text;
    if (numeric) td.className = "num";
    return td;
  }

  function updateTables(data) {
    const params = new URLSearchParams(window.location.search);
    const nodeBody = document.querySelector("#node-table tbody");
    nodeBody.replaceChildren();
    data.nodes.forEach(function (n) {
      const tr = document.createElement("tr");
      const td = document.createElement("td");
      const a = document.createElement("a");
      a.className = "recenter";
      const next = new URLSearchParams(params);
      next.set("center", n.repo);
      a.href = "?" + next.toString();
      a.textContent = n.repo;
      td.append(a);
      const page = document.createElement("td");
      const link = document.createElement("a");
      const parts = n.repo.split("/");
      link.href = "/repo/" + encodeURIComponent(parts[0]) + "/" + encodeURIComponent(parts[1]) + "?window=" + encodeURIComponent(data.window);
      link.textContent = "project";
      page.append(link);
      tr.append(td, cell(n.depth, true), cell(fmt(n.openrank, 1), true), cell(n.nicheNumber || "–"), page);
      nodeBody.append(tr);
    });
    const edgeBody = document.querySelector("#edge-table tbody");
    edgeBody.replaceChildren();
    data.edges.forEach(function (e) {
      const tr = document.createElement("tr");
      tr.append(cell(e.source), cell(e.type), cell(e.target),
                cell(fmt(e.type === "collaborates" ? e.weight : e.confidence, 3), true));
      edgeBody.append(tr);
    });
    document.getElementById("node-count").textContent = data.nodes.length;
    document.getElementById("truncated").hidden = !data.truncated;
    document.getElementById("edge-count").textContent = data.edges.length;
    const centerInput = document.querySelector("#graph-filters input[name=center]");
    if (centerInput) centerInput.value = data.center;
  }

  function load(search) {
    return fetch(window.location.pathname + ".json" + search)
      .then(function (response) {
        if (!response.ok) return response.json().then(function (body) { throw new Error(body.error.message); });
        return response.json();
      })
      .then(render)
      .catch(function (error) { show(["Could not load the graph: " + error.message]); });
  }

  function walkTo(repo) {
    const params = new URLSearchParams(window.location.search);
    params.set("center", repo);
    const search = "?" + params.toString();
    window.history.pushState({ search: search }, "", search);
    load(search);
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest("a.recenter");
    if (!link) return;
    event.preventDefault();
    walkTo(new URLSearchParams(link.search).get("center"));
  });
  window.addEventListener("popstate", function () { load(window.location.search); });
  load(window.location.search);
})();
