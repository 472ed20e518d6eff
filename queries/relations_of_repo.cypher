// relations_of_repo: What are a project's upstreams, downstreams, competitors and peers in a window, and why?
// One row per relation; `role` says what the other project is to the asked one.
//
// Parameters:
// :param repo => 'pytorch/pytorch'
// :param window => '2022-04:2023-03'
//
// Columns:
//   role               upstream (the other is upstream of repo) | downstream | competitor | peer
//   other              the other project
//   confidence         0..1
//   weight             collaboration weight of the pair (0 if not linked)
//   sharedDevelopers   developers active in both
//   repoCoreInOther    share of repo's core activity (top 20 developers) by developers also active in the other
//   otherCoreInRepo    the same the other way
//   profileSimilarity  cosine similarity of their collaboration neighbourhoods
//   otherOpenrank      the other's mean monthly OpenRank in the window
//   topDevelopers      the shared developers who carry the link most
//   rule               the rule that decided: U1, U2, U3 (upstream), C1, C2 (competitor), P, H (peer); docs/niches.md
//   reason             the rule that decided, in words
MATCH (r:Repo {name: $repo})-[x:UPSTREAM_OF|COMPETES_WITH|PEER_OF {window: $window}]-(o:Repo)
WITH r, x, o, startNode(x) = r AS outgoing
RETURN CASE
         WHEN type(x) = 'UPSTREAM_OF' AND outgoing THEN 'downstream'
         WHEN type(x) = 'UPSTREAM_OF' THEN 'upstream'
         WHEN type(x) = 'COMPETES_WITH' THEN 'competitor'
         ELSE 'peer' END AS role,
       o.name AS other, x.confidence AS confidence, x.weight AS weight, x.sharedDevelopers AS sharedDevelopers,
       CASE WHEN outgoing THEN x.sourceCoreInTarget ELSE x.targetCoreInSource END AS repoCoreInOther,
       CASE WHEN outgoing THEN x.targetCoreInSource ELSE x.sourceCoreInTarget END AS otherCoreInRepo,
       x.profileSimilarity AS profileSimilarity,
       CASE WHEN outgoing THEN x.targetOpenrank ELSE x.sourceOpenrank END AS otherOpenrank,
       x.topDevelopers AS topDevelopers, x.rule AS rule, x.reason AS reason
ORDER BY role, confidence DESC, other
