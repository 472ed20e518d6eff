// niche_rivalries: Which projects inside a niche compete with each other?
//
// Parameters:
// :param niche => '2022-04:2023-03/pytorch/pytorch'
//
// Columns:
//   a                  one rival
//   b                  the other
//   confidence         0..1
//   profileSimilarity  cosine similarity of their collaboration neighbourhoods
//   sharedDevelopers   developers active in both
//   reason             the rule that decided, in words
MATCH (n:Niche {id: $niche})
MATCH (a:Repo)-[:IN_NICHE]->(n), (b:Repo)-[:IN_NICHE]->(n)
MATCH (a)-[x:COMPETES_WITH {window: n.window}]->(b)
RETURN a.name AS a, b.name AS b, x.confidence AS confidence, x.profileSimilarity AS profileSimilarity,
       x.sharedDevelopers AS sharedDevelopers, x.reason AS reason
ORDER BY confidence DESC, a, b
