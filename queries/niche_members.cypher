// niche_members: Who is in a niche, by centrality, and how firmly?
//
// Parameters:
// :param niche => '2022-04:2023-03/pytorch/pytorch'
//
// Columns:
//   rank        1 = most central
//   repo        the member
//   centrality  weight of its collaboration links inside the niche
//   stability   centrality-weighted share of runs it lands with the other members (0..1)
//   domain      its hand-made landscape domain, when loaded
//   openrank    its mean monthly OpenRank in the niche's window
MATCH (r:Repo)-[i:IN_NICHE]->(n:Niche {id: $niche})
OPTIONAL MATCH (r)-[:HAS_MONTH]->(m:RepoMonth)
  WHERE split(n.window, ':')[0] <= m.month <= split(n.window, ':')[1]
WITH r, i, avg(m.openrank) AS openrank
RETURN i.rank AS rank, r.name AS repo, i.centrality AS centrality, i.stability AS stability, r.domain AS domain,
       openrank
ORDER BY rank
