// niche_assignments: Which niche does every project belong to in a window (none when unassigned)?
// One row per repository in the graph, members of a niche first (by niche, then centrality).
// Written by `nichegraph niches`; `nichegraph export --what niches` prints it as CSV.
//
// Parameters:
// :param window => '2022-04:2023-03'
//
// Columns:
//   repo        owner/name
//   niche       the niche id (window/most-central-project), null when the project is unassigned
//   label       the niche's label: its most central projects and the dominant landscape domain
//   stability   how often (centrality-weighted share of runs) the project lands with its niche's other members
//   centrality  weight of its collaboration links inside the niche
//   rank        1 = the niche's most central project
//   size        members of the niche
MATCH (r:Repo)
OPTIONAL MATCH (r)-[i:IN_NICHE]->(n:Niche {window: $window})
RETURN r.name AS repo, n.id AS niche, n.label AS label, i.stability AS stability,
       i.centrality AS centrality, i.rank AS rank, n.size AS size
ORDER BY n.number IS NULL, n.number, i.rank, repo
