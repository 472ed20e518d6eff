// networks: Which project networks are loaded, and which have niches and relations computed?
// Networks come from `nichegraph load network` (files) or other sources (kind); their niches and
// relations from `nichegraph niches --network` / `relations --network`, stored under 'network:NAME'.
//
// Parameters: none
//
// Columns:
//   name        the network's name
//   kind        file | events
//   source      where it was loaded from
//   format      report-json | csv | graphml | gexf | ...
//   period      the period it describes (FIRST:LAST), null when not stated
//   nodes       projects
//   edges       links
//   loadedAt    when it was loaded
//   niches      niches computed on it (0 when none yet)
//   relations   whether relations were computed on it
//   largest     its project with the highest OpenRank in the file
MATCH (n:Network)
OPTIONAL MATCH (run:NicheRun {window: 'network:' + n.name})
CALL (n) {
  MATCH (r:Repo)-[m:IN_NETWORK]->(n)
  WITH r, m ORDER BY m.openrank DESC, r.name
  RETURN collect(r.name)[0] AS largest
}
RETURN n.name AS name, n.kind AS kind, n.source AS source, n.format AS format, n.period AS period,
       n.nodes AS nodes, n.edges AS edges, n.loadedAt AS loadedAt, coalesce(run.niches, 0) AS niches,
       run.relationsComputedAt IS NOT NULL AS relations, largest
ORDER BY name
