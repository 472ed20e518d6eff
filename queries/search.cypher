// search: Which repositories and developers match what I am typing?
// Case-insensitive: repositories whose owner/repo name contains the text (the repository
// names are scanned), and developers whose login starts with it (an index seek; the first
// 500 by login, ranked by active months). An exact login comes first, then repositories by
// latest OpenRank, then developers.
//
// Parameters:
// :param text => 'pytorch'
// :param limit => 10
//
// Columns:
//   kind      repo or developer
//   name      owner/repo, or the developer's login
//   openrank  a repository's latest published OpenRank (null for developers)
//   detail    the repository's landscape domain, or the developer's number of active (repo, month) pairs
CALL () {
  MATCH (r:Repo) WHERE r.nameLower CONTAINS toLower($text)
  CALL (r) {
    MATCH (r)-[:HAS_MONTH]->(m:RepoMonth) WHERE m.openrank IS NOT NULL
    RETURN m.openrank AS openrank ORDER BY m.month DESC LIMIT 1
  }
  RETURN 'repo' AS kind, r.name AS name, openrank, r.domain AS detail,
         CASE WHEN r.nameLower STARTS WITH toLower($text) OR split(r.nameLower, '/')[1] STARTS WITH toLower($text)
              THEN 0 ELSE 1 END AS rank, coalesce(openrank, 0.0) AS score
  ORDER BY rank, openrank DESC LIMIT $limit
  UNION ALL
  MATCH (d:Developer) WHERE d.key STARTS WITH toLower($text)
  WITH d LIMIT 500
  WITH d, COUNT { (d)-[:CONTRIBUTED]->() } AS activeMonths
  ORDER BY d.key = toLower($text) DESC, activeMonths DESC, d.key LIMIT $limit
  RETURN 'developer' AS kind, d.login AS name, null AS openrank,
         activeMonths + ' active months' AS detail,
         CASE WHEN d.key = toLower($text) THEN -1 ELSE 2 END AS rank, toFloat(activeMonths) AS score
}
RETURN kind, name, openrank, detail
ORDER BY rank, score DESC, name
LIMIT $limit
