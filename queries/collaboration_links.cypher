// collaboration_links: Which collaboration links make up a window's network, with the numbers behind each weight?
// The links are undirected; each is stored once, from the alphabetically smaller project.
//
// Parameters:
// :param window => '2022-04:2023-03'
//
// Columns:
//   source            one project (the alphabetically smaller name)
//   target            the other project
//   weight            sum over shared developers of a(d,s)*a(d,t)/T(d), divided by sqrt(A(s)*A(t))
//   sharedDevelopers  developers active in both in the window (bots excluded)
//   expectedShared    shared developers random mixing predicts
//   lift              sharedDevelopers / expectedShared
//   sourceShare       share of the source's activity done by the shared developers
//   targetShare       same for the target
//   sourceRank        rank of this link among the source's links (1 = strongest)
//   targetRank        same at the target
//   topDevelopers     the shared developers who carry the link most
MATCH (s:Repo)-[c:COLLABORATES {window: $window}]->(t:Repo)
RETURN s.name AS source, t.name AS target, c.weight AS weight, c.sharedDevelopers AS sharedDevelopers,
       c.expectedShared AS expectedShared, c.lift AS lift, c.sourceShare AS sourceShare, c.targetShare AS targetShare,
       c.sourceRank AS sourceRank, c.targetRank AS targetRank, c.topDevelopers AS topDevelopers
ORDER BY weight DESC, source, target
