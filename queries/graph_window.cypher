// graph_window: What is the whole collaboration graph of a window: projects with niche and OpenRank, links and relations?
// Everything the explorer's neighbourhood walk needs, in one read of precomputed results:
// every project with its niche in the window and its mean monthly OpenRank there, every
// COLLABORATES link, and every upstream / competitor / peer relation of the window.
// Cost: whole graph (reads the window's precomputed network, a few thousand rows).
//
// Parameters:
// :param window => '2022-04:2023-03'
// :param first => '2022-04'
// :param last => '2023-03'
//
// Columns:
//   nodes      {repo, niche, nicheNumber, nicheLabel, stability, openrank, domain} per project
//   links      {source, target, weight, sharedDevelopers} per COLLABORATES link
//   relations  {type: upstream|competitor|peer, source, target, confidence, reason}; for upstream the source is upstream
CALL () {
  MATCH (r:Repo)
  OPTIONAL MATCH (r)-[i:IN_NICHE]->(n:Niche {window: $window})
  CALL (r) {
    OPTIONAL MATCH (r)-[:HAS_MONTH]->(m:RepoMonth) WHERE $first <= m.month <= $last
    RETURN avg(m.openrank) AS openrank
  }
  RETURN collect({repo: r.name, niche: n.id, nicheNumber: n.number, nicheLabel: n.label, stability: i.stability,
                  openrank: openrank, domain: r.domain}) AS nodes
}
CALL () {
  MATCH (a:Repo)-[c:COLLABORATES {window: $window}]->(b:Repo)
  RETURN collect({source: a.name, target: b.name, weight: c.weight, sharedDevelopers: c.sharedDevelopers}) AS links
}
CALL () {
  MATCH (a:Repo)-[x:UPSTREAM_OF|COMPETES_WITH|PEER_OF {window: $window}]->(b:Repo)
  RETURN collect({type: CASE type(x) WHEN 'UPSTREAM_OF' THEN 'upstream' WHEN 'COMPETES_WITH' THEN 'competitor'
                             ELSE 'peer' END,
                  source: a.name, target: b.name, confidence: x.confidence, reason: x.reason}) AS relations
}
RETURN nodes, links, relations
