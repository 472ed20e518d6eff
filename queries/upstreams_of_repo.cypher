// upstreams_of_repo: Which projects is a project downstream of in a window (its foundations), and why?
//
// Parameters:
// :param repo => 'huggingface/transformers'
// :param window => '2022-04:2023-03'
//
// Columns:
//   upstream            the upstream project
//   confidence          0..1
//   repoCoreInUpstream  share of repo's core activity (top 20 developers) by developers also active upstream
//   upstreamCoreInRepo  share of the upstream's core activity by developers also active in repo
//   sharedDevelopers    developers active in both
//   weight              collaboration weight
//   upstreamOpenrank    the upstream's mean monthly OpenRank in the window
//   topDevelopers       the shared developers who carry the link most
//   reason              the rule that decided, in words
MATCH (u:Repo)-[x:UPSTREAM_OF {window: $window}]->(:Repo {name: $repo})
RETURN u.name AS upstream, x.confidence AS confidence, x.targetCoreInSource AS repoCoreInUpstream,
       x.sourceCoreInTarget AS upstreamCoreInRepo, x.sharedDevelopers AS sharedDevelopers, x.weight AS weight,
       x.sourceOpenrank AS upstreamOpenrank, x.topDevelopers AS topDevelopers, x.reason AS reason
ORDER BY confidence DESC, upstream
