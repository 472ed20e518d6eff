// openrank_edges: Who contributed to each repository in each month, and how much (the input of OpenRank)?
// Cost: whole graph (every contribution of the window; `nichegraph openrank` reads a year at a time).
// One row per repository and month: the developers active in it and their activity scores, as
// parallel lists, so that a year of edges arrives as a few thousand records. Bots are left out of
// the lists, as in OpenDigger's global OpenRank, but counted in `listed`, which is what OpenDigger's
// participant count is compared with to size the unlisted tail (docs/openrank.md).
//
// Parameters:
// :param first => '2023-03'
// :param last => '2023-03'
//
// Columns:
//   month           YYYY-MM
//   repo            repository name
//   developers      keys (lower-cased logins) of the developers active that month, bots left out
//   activity        their activity scores, in the same order (OpenDigger's square-root scores)
//   listed          developers listed in OpenDigger's details that month, bots included
//   listedActivity  sum of their scores, bots included
MATCH (d:Developer)-[c:CONTRIBUTED]->(r:Repo)
WHERE $first <= c.month <= $last
WITH c.month AS month, r.name AS repo,
     collect(CASE WHEN NOT d.isBot THEN d.key END) AS developers,
     collect(CASE WHEN NOT d.isBot THEN c.activity END) AS activity,
     count(c) AS listed, sum(c.activity) AS listedActivity
RETURN month, repo, developers, activity, listed, listedActivity
