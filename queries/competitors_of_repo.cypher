// competitors_of_repo: Which projects are a project's rivals (substitutes in its niche) in a window, and why?
//
// Parameters:
// :param repo => 'pytorch/pytorch'
// :param window => '2022-04:2023-03'
//
// Columns:
//   competitor         the rival project
//   confidence         0..1
//   profileSimilarity  cosine similarity of their collaboration neighbourhoods (each other excluded)
//   repoCoreInOther    share of repo's core activity (top 20 developers) by developers also active in the rival
//   otherCoreInRepo    the same the other way
//   sharedDevelopers   developers active in both
//   otherOpenrank      the rival's mean monthly OpenRank in the window
//   topDevelopers      the shared developers who carry the link most
//   reason             the rule that decided, in words
MATCH (r:Repo {name: $repo})-[x:COMPETES_WITH {window: $window}]-(o:Repo)
WITH x, o, startNode(x) = r AS outgoing
RETURN o.name AS competitor, x.confidence AS confidence, x.profileSimilarity AS profileSimilarity,
       CASE WHEN outgoing THEN x.sourceCoreInTarget ELSE x.targetCoreInSource END AS repoCoreInOther,
       CASE WHEN outgoing THEN x.targetCoreInSource ELSE x.sourceCoreInTarget END AS otherCoreInRepo,
       x.sharedDevelopers AS sharedDevelopers,
       CASE WHEN outgoing THEN x.targetOpenrank ELSE x.sourceOpenrank END AS otherOpenrank,
       x.topDevelopers AS topDevelopers, x.reason AS reason
ORDER BY confidence DESC, competitor
