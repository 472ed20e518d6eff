// peers_of_repo: Which linked projects are a project's peers (complementary, no clear direction) in a window?
//
// Parameters:
// :param repo => 'Automattic/jetpack'
// :param window => '2022-04:2023-03'
//
// Columns:
//   peer              the peer project
//   confidence        0..1 (how much their cores overlap)
//   repoCoreInOther   share of repo's core activity (top 20 developers) by developers also active in the peer
//   otherCoreInRepo   the same the other way
//   sharedDevelopers  developers active in both
//   weight            collaboration weight
//   topDevelopers     the shared developers who carry the link most
//   reason            the rule that decided, in words
MATCH (r:Repo {name: $repo})-[x:PEER_OF {window: $window}]-(o:Repo)
WITH x, o, startNode(x) = r AS outgoing
RETURN o.name AS peer, x.confidence AS confidence,
       CASE WHEN outgoing THEN x.sourceCoreInTarget ELSE x.targetCoreInSource END AS repoCoreInOther,
       CASE WHEN outgoing THEN x.targetCoreInSource ELSE x.sourceCoreInTarget END AS otherCoreInRepo,
       x.sharedDevelopers AS sharedDevelopers, x.weight AS weight, x.topDevelopers AS topDevelopers, x.reason AS reason
ORDER BY confidence DESC, peer
