// openrank_edges: Who contributed to each repository in each month, and how much (the input of OpenRank)?
// Cost: whole graph (every contribution of the window; `nichegraph openrank` reads a year at a time).
// One row per repository and month: the developers active in it and their activity scores, as
// parallel lists, so that a year of edges arrives as a few thousand records. Developers come as
// node ids (`id(d)`): `nichegraph openrank` keeps numbers, not names, for hundreds of thousands
// of developers, and writes their values back by id under the writer lock (docs/openrank.md,
// "Timing"). Bots are left out of the lists, as in OpenDigger's global OpenRank, but counted in
// `listed`, which is what OpenDigger's participant count is compared with to size the unlisted
// tail (docs/openrank.md).
//
// Parameters:
// :param first => '2023-03'
// :param last => '2023-03'
//
// Columns:
//   month           YYYY-MM
//   repo            repository name
//   developerIds    node ids of the developers active that month, bots left out (their keys:
//                   MATCH (d) WHERE id(d) IN developerIds RETURN d.key)
//   activity        their activity scores, in the same order (OpenDigger's square-root scores)
//   listed          developers listed in OpenDigger's details that month, bots included
//   listedActivity  sum of their scores, bots included
CALL () {
  // the bots found once through their index: reading each edge's developer's isBot flag took
  // two thirds of the query's time
  MATCH (bot:Developer {isBot: true})
  RETURN collect(id(bot)) AS bots
}
MATCH (d:Developer)-[c:CONTRIBUTED]->(r:Repo)
WHERE $first <= c.month <= $last
WITH c.month AS month, r, NOT id(d) IN bots AS person, id(d) AS id, c.activity AS score
WITH month, r,
     collect(CASE WHEN person THEN id END) AS developerIds,
     collect(CASE WHEN person THEN score END) AS activity,
     count(*) AS listed, sum(score) AS listedActivity
RETURN month, r.name AS repo, developerIds, activity, listed, listedActivity
