// niche_of_repo: Which niche is a project in for a window, how firmly, and who else is in it?
// One row per member of the project's niche, most central first (empty if it is unassigned:
// see unassigned_repos).
//
// Parameters:
// :param repo => 'pytorch/pytorch'
// :param window => '2022-04:2023-03'
//
// Columns:
//   niche           niche id
//   label           niche label
//   size            members of the niche
//   repoStability   the asked project's stability in its niche (0..1)
//   member          a member of the niche
//   rank            its centrality rank (1 = most central)
//   centrality      weight of its links inside the niche
//   stability       its stability
//   isRepo          true on the asked project's own row
MATCH (:Repo {name: $repo})-[mine:IN_NICHE]->(n:Niche {window: $window})
MATCH (m:Repo)-[i:IN_NICHE]->(n)
RETURN n.id AS niche, n.label AS label, n.size AS size, mine.stability AS repoStability,
       m.name AS member, i.rank AS rank, i.centrality AS centrality, i.stability AS stability,
       m.name = $repo AS isRepo
ORDER BY rank
