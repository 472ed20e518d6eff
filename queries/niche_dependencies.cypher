// niche_dependencies: Which niches does a niche depend on (upstream niches) and which does it feed?
// Upstream relations between members of different niches, grouped per other niche.
//
// Parameters:
// :param niche => '2022-04:2023-03/kubernetes/kubernetes'
//
// Columns:
//   direction      depends_on (the other niche holds upstreams of this one) | feeds (it holds downstreams)
//   otherNiche     the other niche's id
//   otherLabel     its label
//   relations      number of upstream relations between the two niches in this direction
//   meanConfidence mean confidence of those relations
//   pairs          the pairs, as 'upstream -> downstream'
MATCH (n:Niche {id: $niche})
CALL (n) {
  MATCH (u:Repo)-[x:UPSTREAM_OF {window: n.window}]->(d:Repo)-[:IN_NICHE]->(n)
  MATCH (u)-[:IN_NICHE]->(o:Niche {window: n.window}) WHERE o <> n
  RETURN 'depends_on' AS direction, o, x, u.name + ' -> ' + d.name AS pair
  UNION
  MATCH (u:Repo)-[:IN_NICHE]->(n)
  MATCH (u)-[x:UPSTREAM_OF {window: n.window}]->(d:Repo)-[:IN_NICHE]->(o:Niche {window: n.window}) WHERE o <> n
  RETURN 'feeds' AS direction, o, x, u.name + ' -> ' + d.name AS pair
}
RETURN direction, o.id AS otherNiche, o.label AS otherLabel, count(x) AS relations,
       avg(x.confidence) AS meanConfidence, collect(pair) AS pairs
ORDER BY direction, relations DESC, otherNiche
