// trend_niche: What is a niche: its window, label, size and members?
// Niches are written by `nichegraph niches` as (:Repo)-[:IN_NICHE]->(:Niche). No row for an unknown id.
// The trend commands group by a niche with it and default to the niche's window.
//
// Parameters:
// :param niche => '2022-04:2023-03/pytorch/pytorch'
//
// Columns:
//   niche    the niche id
//   window   the window it was detected in (FIRST:LAST), null for a loaded network's niche
//   label    its label
//   size     members
//   members  member projects, by name
MATCH (n:Niche {id: $niche})
OPTIONAL MATCH (r:Repo)-[:IN_NICHE]->(n)
WITH n, r ORDER BY r.name
RETURN n.id AS niche, CASE WHEN n.network IS NULL THEN n.window END AS window, n.label AS label, n.size AS size, collect(r.name) AS members
