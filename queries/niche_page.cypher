// niche_page: What is a niche: its members by centrality, its internal rivalries, the niches it depends on and feeds, and its OpenRank over time?
// Everything the explorer's niche page shows, in one query. No row for an unknown niche id.
//
// Parameters:
// :param niche => '2022-04:2023-03/pytorch/pytorch'
// :param curveMembers => 8
//
// Columns:
//   niche         niche id (window/most-central-project, or network:NAME/most-central-project)
//   window        the window it was detected in ('network:NAME' for a loaded network's niche)
//   network       the loaded network it was detected in, null for a window's niche
//   label         its label
//   size          members
//   stability     mean member stability
//   domain        dominant hand-made landscape domain among labelled members
//   domainShare   share of labelled members with that domain
//   splitReason   why it is a part of a niche that was split as a drawer (docs/niches.md, "Drawers"), else null
//   kindReason    why it is a niche of one declared kind (docs/niches.md, "Kind niches"), else null
//   members       {repo, rank, centrality, stability, domain, openrank (mean in the window; a network's own figure),
//                 placed (why an unassigned project was placed here, else null)}, most central first
//   rivalries     {a, b, confidence, profileSimilarity, sharedDevelopers, reason} competitor pairs inside the niche
//   dependencies  {direction: depends_on|feeds, otherNiche, otherLabel, relations, meanConfidence, pairs}
//   curve         {month, openrank}: the members' summed published OpenRank per month
//   memberCurves  {repo, months: [{month, openrank}]} for the most central members
MATCH (n:Niche {id: $niche})
// a window's niche run stores the OpenRank means and curves (pageFiguresAt); others are computed here
WITH n, split(n.window, ':')[0] AS first, split(n.window, ':')[1] AS last, n.pageFiguresAt IS NOT NULL AS stored
CALL (n, first, last, stored) {
  MATCH (r:Repo)-[i:IN_NICHE]->(n)
  CALL (r, first, last, stored) {
    WITH r WHERE NOT stored
    OPTIONAL MATCH (r)-[:HAS_MONTH]->(m:RepoMonth) WHERE first <= m.month <= last
    RETURN avg(m.openrank) AS computedOpenrank
  }
  OPTIONAL MATCH (r)-[inside:IN_NETWORK]->(:Network {name: n.network})
  WITH r, i, coalesce(CASE WHEN stored THEN i.windowOpenrank ELSE computedOpenrank END, inside.openrank) AS openrank
  ORDER BY i.rank
  RETURN collect({repo: r.name, rank: i.rank, centrality: i.centrality, stability: i.stability,
                  domain: r.domain, openrank: openrank, placed: i.placed}) AS members
}
CALL (n) {
  OPTIONAL MATCH (a:Repo)-[:IN_NICHE]->(n)
  OPTIONAL MATCH (a)-[x:COMPETES_WITH {window: n.window}]->(b:Repo)-[:IN_NICHE]->(n)
  WITH a, x, b WHERE x IS NOT NULL
  WITH a, x, b ORDER BY x.confidence DESC, a.name, b.name
  RETURN collect({a: a.name, b: b.name, confidence: x.confidence, profileSimilarity: x.profileSimilarity,
                  sharedDevelopers: x.sharedDevelopers, reason: x.reason}) AS rivalries
}
CALL (n) {
  // from the niche's members along their relations (not from every relation of the window)
  MATCH (member:Repo)-[:IN_NICHE]->(n)
  MATCH (member)-[x:UPSTREAM_OF {window: n.window}]-(:Repo)
  WITH DISTINCT n, x, startNode(x) AS u, endNode(x) AS d
  OPTIONAL MATCH (u)-[:IN_NICHE]->(un:Niche {window: n.window})
  OPTIONAL MATCH (d)-[:IN_NICHE]->(dn:Niche {window: n.window})
  WITH x, u, d, un, dn WHERE x IS NOT NULL AND un IS NOT NULL AND dn IS NOT NULL AND un <> dn
  WITH CASE WHEN dn = n THEN 'depends_on' ELSE 'feeds' END AS direction,
       CASE WHEN dn = n THEN un ELSE dn END AS other, x, u.name + ' -> ' + d.name AS pair
  ORDER BY pair
  WITH direction, other, count(x) AS relations, avg(x.confidence) AS meanConfidence, collect(pair) AS pairs
  ORDER BY direction, relations DESC, other.id
  RETURN collect({direction: direction, otherNiche: other.id, otherLabel: other.label, relations: relations,
                  meanConfidence: meanConfidence, pairs: pairs}) AS dependencies
}
CALL (n, stored) {
  WITH n WHERE NOT stored
  MATCH (r:Repo)-[:IN_NICHE]->(n)
  MATCH (r)-[:HAS_MONTH]->(m:RepoMonth) WHERE m.openrank IS NOT NULL
  WITH m.month AS month, sum(m.openrank) AS openrank ORDER BY month
  RETURN collect({month: month, openrank: openrank}) AS computedCurve
}
CALL (n, stored) {
  MATCH (r:Repo)-[i:IN_NICHE]->(n) WHERE i.rank <= $curveMembers
  CALL (r, i, stored) {
    WITH r, i WHERE NOT stored
    MATCH (r)-[:HAS_MONTH]->(m:RepoMonth) WHERE m.openrank IS NOT NULL
    WITH m ORDER BY m.month
    RETURN collect({month: m.month, openrank: m.openrank}) AS computedMonths
  }
  // each list read once (an index into a property reads the whole property again)
  WITH r, i, stored, computedMonths, i.curveMonths AS storedMonths, i.curveOpenrank AS storedValues
  WITH r, i, CASE WHEN stored THEN [k IN range(0, size(storedMonths) - 1) |
                                    {month: storedMonths[k], openrank: storedValues[k]}]
                  ELSE computedMonths END AS months
  ORDER BY i.rank
  RETURN collect({repo: r.name, months: months}) AS memberCurves
}
WITH n, stored, members, rivalries, dependencies, memberCurves, computedCurve,
     n.curveMonths AS storedMonths, n.curveOpenrank AS storedValues
WITH n, members, rivalries, dependencies, memberCurves,
     CASE WHEN stored THEN [k IN range(0, size(storedMonths) - 1) | {month: storedMonths[k], openrank: storedValues[k]}]
          ELSE computedCurve END AS curve
RETURN n.id AS niche, n.window AS window, n.network AS network, n.label AS label, n.size AS size, n.stability AS stability,
       n.domain AS domain, n.domainShare AS domainShare, n.splitReason AS splitReason,
       n.kindReason AS kindReason, members, rivalries, dependencies, curve, memberCurves
