// collaboration_neighbourhood: What does a project's collaboration neighbourhood look like (a graph for Browser)?
// The project, its COLLABORATES links in the window and the links among those neighbours,
// with the niches they are in. In Browser it draws as a graph; `nichegraph query` lists the paths.
//
// Parameters:
// :param repo => 'pytorch/pytorch'
// :param window => '2022-04:2023-03'
//
// Columns:
//   path     one COLLABORATES link of the neighbourhood (weight, sharedDevelopers on the relationship)
//   niches   the IN_NICHE paths of its two ends in the window
MATCH (r:Repo {name: $repo})-[:COLLABORATES {window: $window}]-(o:Repo)
WITH r, collect(o) + [r] AS around
UNWIND around AS a
MATCH path = (a)-[c:COLLABORATES {window: $window}]->(b:Repo)
WHERE b IN around
OPTIONAL MATCH na = (a)-[:IN_NICHE]->(:Niche {window: $window})
OPTIONAL MATCH nb = (b)-[:IN_NICHE]->(:Niche {window: $window})
RETURN path, [p IN [na, nb] WHERE p IS NOT NULL] AS niches
