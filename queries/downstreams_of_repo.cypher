// downstreams_of_repo: Which projects build on a project in a window (its downstreams), and why?
//
// Parameters:
// :param repo => 'pytorch/pytorch'
// :param window => '2022-04:2023-03'
//
// Columns:
//   downstream            the downstream project
//   confidence            0..1
//   downstreamCoreInRepo  share of the downstream's core activity (top 20 developers) by developers also active in repo
//   repoCoreInDownstream  share of repo's core activity by developers also active downstream
//   sharedDevelopers      developers active in both
//   weight                collaboration weight
//   downstreamOpenrank    the downstream's mean monthly OpenRank in the window
//   topDevelopers         the shared developers who carry the link most
//   reason                the rule that decided, in words
MATCH (:Repo {name: $repo})-[x:UPSTREAM_OF {window: $window}]->(d:Repo)
RETURN d.name AS downstream, x.confidence AS confidence, x.targetCoreInSource AS downstreamCoreInRepo,
       x.sourceCoreInTarget AS repoCoreInDownstream, x.sharedDevelopers AS sharedDevelopers, x.weight AS weight,
       x.targetOpenrank AS downstreamOpenrank, x.topDevelopers AS topDevelopers, x.reason AS reason
ORDER BY confidence DESC, downstream
