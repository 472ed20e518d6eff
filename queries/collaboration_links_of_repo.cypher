// collaboration_links_of_repo: Which projects is a project linked to by shared developers in a window, how strongly?
// One row per COLLABORATES link of the project, strongest first.
//
// Parameters:
// :param repo => 'pytorch/pytorch'
// :param window => '2022-04:2023-03'
//
// Columns:
//   other              the linked project
//   weight             collaboration weight (see docs/niches.md)
//   sharedDevelopers   developers active in both in the window (bots excluded)
//   lift               shared developers / the number random mixing predicts
//   repoShare          share of repo's activity done by the shared developers
//   otherShare         share of the other's activity done by them
//   rankAtRepo         rank of this link among repo's links (1 = strongest)
//   topDevelopers      the shared developers who carry the link most
//   otherNiche         the other project's niche in the window (null if unassigned)
MATCH (r:Repo {name: $repo})-[c:COLLABORATES {window: $window}]-(o:Repo)
OPTIONAL MATCH (o)-[:IN_NICHE]->(n:Niche {window: $window})
WITH r, c, o, n, startNode(c) = r AS outgoing
RETURN o.name AS other, c.weight AS weight, c.sharedDevelopers AS sharedDevelopers, c.lift AS lift,
       CASE WHEN outgoing THEN c.sourceShare ELSE c.targetShare END AS repoShare,
       CASE WHEN outgoing THEN c.targetShare ELSE c.sourceShare END AS otherShare,
       CASE WHEN outgoing THEN c.sourceRank ELSE c.targetRank END AS rankAtRepo,
       c.topDevelopers AS topDevelopers, n.id AS otherNiche
ORDER BY weight DESC, other
