// relations_in_window: Which upstream, competitor and peer relations were found in a window, and on what evidence?
// For upstream the source is upstream of the target; competitor and peer are symmetric.
//
// Parameters:
// :param window => '2022-04:2023-03'
//
// Columns:
//   source              upstream project (upstream), or the first of the pair
//   target              downstream project (upstream), or the second of the pair
//   relation            upstream | competitor | peer
//   confidence          0..1
//   weight              collaboration weight of the pair (0 when they share too few developers)
//   sharedDevelopers    developers active in both in the window (bots excluded)
//   sourceCoreInTarget  share of the source's core activity (top 20 developers) by developers also active in the target
//   targetCoreInSource  the same the other way
//   profileSimilarity   cosine similarity of their collaboration neighbourhoods (each other excluded)
//   sourceOpenrank      mean monthly OpenRank of the source in the window
//   targetOpenrank      same for the target
//   lift                shared developers / the number random mixing predicts
//   linked              true when the pair is a stored COLLABORATES link
//   sameNiche           true when both are in one niche
//   topDevelopers       the shared developers who carry the link most
//   rule                the rule that decided: U1..U4 (upstream), C1..C4 (competitor), P, H (peer); docs/niches.md
//   lean                > 0: the shared developers are at home in the target beyond its size (its people come to the source)
//   metadataSimilarity  how alike their GitHub topics and descriptions are (tf-idf cosine), null without metadata
//   reason              the rule that decided, in words
MATCH (s:Repo)-[x:UPSTREAM_OF|COMPETES_WITH|PEER_OF {window: $window}]->(t:Repo)
RETURN s.name AS source, t.name AS target,
       CASE type(x) WHEN 'UPSTREAM_OF' THEN 'upstream' WHEN 'COMPETES_WITH' THEN 'competitor' ELSE 'peer' END AS relation,
       x.confidence AS confidence, x.weight AS weight, x.sharedDevelopers AS sharedDevelopers,
       x.sourceCoreInTarget AS sourceCoreInTarget, x.targetCoreInSource AS targetCoreInSource,
       x.profileSimilarity AS profileSimilarity, x.sourceOpenrank AS sourceOpenrank, x.targetOpenrank AS targetOpenrank,
       x.lift AS lift, x.linked AS linked, x.sameNiche AS sameNiche, x.topDevelopers AS topDevelopers, x.rule AS rule,
       x.lean AS lean, x.metadataSimilarity AS metadataSimilarity, x.reason AS reason
ORDER BY relation DESC, confidence DESC, source, target
