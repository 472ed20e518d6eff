// landscape_projects: For each project a window's or a network's niches were computed on: its detected niche, its hand-made domains, its OpenRank and the figures behind its trend?
// The input of `nichegraph landscape agreement` (detected niches against hand domains) and of the
// landscape figure (`nichegraph landscape draw`, /landscape/<name>): every project the niche run
// placed, members of its niches and unassigned ones. `scope` is a window 'FIRST:LAST' (give the
// window and the one before it in first..previousLast) or 'network:NAME' (the window parameters
// may be null). No rows when no niches were computed for the scope.
//
// Parameters:
// :param scope => 'network:ant-2025'
// :param first => null
// :param last => null
// :param previousFirst => null
// :param previousLast => null
//
// Columns:
//   repo             project name
//   niche            its niche id, null when unassigned
//   number           the niche's number (by size), null when unassigned
//   label            the niche's label
//   entries          its landscape entries: {landscape, domain, layer, openrankFirst, openrankLast}
//                    (the LLM landscape's OpenRank of January and July 2025)
//   networkOpenrank  for a network: the OpenRank the network file gives the project
//   windowOpenrank   for a window: mean monthly published OpenRank in first..last
//   previous         for a window: the same in previousFirst..previousLast
//   recent           the last 12 months of its published OpenRank series, newest first: {month, openrank}
MATCH (run:NicheRun {window: $scope})
CALL (run) {
  MATCH (r:Repo)-[:IN_NICHE]->(n:Niche {window: run.window})
  RETURN collect({repo: r.name, niche: n.id, number: n.number, label: n.label}) AS members
}
UNWIND members + [name IN run.unassigned | {repo: name, niche: null, number: null, label: null}] AS project
MATCH (r:Repo {name: project.repo})
CALL (r) {
  OPTIONAL MATCH (r)-[:IN_LANDSCAPE]->(e:LandscapeEntry)
  WITH e ORDER BY e.landscape
  RETURN collect(CASE WHEN e IS NOT NULL THEN {landscape: e.landscape, domain: e.domain, layer: e.layer,
                                               openrankFirst: e.openrankFirst, openrankLast: e.openrankLast} END)
         AS entries
}
CALL (r, run) {
  OPTIONAL MATCH (r)-[m:IN_NETWORK]->(:Network {name: run.network})
  RETURN m.openrank AS networkOpenrank
}
CALL (r) {
  OPTIONAL MATCH (r)-[:HAS_MONTH]->(m:RepoMonth) WHERE $previousFirst <= m.month <= $last
  RETURN avg(CASE WHEN m.month >= $first THEN m.openrank END) AS windowOpenrank,
         avg(CASE WHEN m.month <= $previousLast THEN m.openrank END) AS previous
}
CALL (r) {
  OPTIONAL MATCH (r)-[:HAS_MONTH]->(m:RepoMonth) WHERE m.openrank IS NOT NULL
  WITH m ORDER BY m.month DESC LIMIT 12
  RETURN collect({month: m.month, openrank: m.openrank}) AS recent
}
RETURN project.repo AS repo, project.niche AS niche, project.number AS number, project.label AS label, entries,
       networkOpenrank, windowOpenrank, previous, recent
ORDER BY repo
