// collaboration_path: What is the shortest chain of collaboration links between two projects in a window?
// The fewest COLLABORATES links of the window that lead from one project to the other (at most
// 8), with each link's weight and shared developers. In Browser it draws as a path. No row
// when the two are not connected in that window.
//
// Parameters:
// :param from => 'pytorch/pytorch'
// :param to => 'kubernetes/kubernetes'
// :param window => '2022-04:2023-03'
//
// Columns:
//   path              the chain, as a path (for Browser's graph view)
//   hops              number of links
//   repos             the projects along the chain, from `from` to `to`
//   weights           each link's collaboration weight, in order
//   sharedDevelopers  each link's number of shared developers, in order
MATCH (a:Repo {name: $from}), (b:Repo {name: $to})
MATCH path = shortestPath((a)-[:COLLABORATES*..8]-(b))
WHERE all(link IN relationships(path) WHERE link.window = $window)
RETURN path, length(path) AS hops, [n IN nodes(path) | n.name] AS repos,
       [link IN relationships(path) | link.weight] AS weights,
       [link IN relationships(path) | link.sharedDevelopers] AS sharedDevelopers
