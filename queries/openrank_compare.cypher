// openrank_compare: How does the OpenRank computed from this graph compare with OpenDigger's published one, repository by repository?
// Cost: whole graph (every RepoMonth of the window).
// One row per repository and month with both values, for the correlation that
// `nichegraph openrank --report` prints (Spearman per month).
//
// Parameters:
// :param first => '2022-04'
// :param last => '2023-03'
//
// Columns:
//   month      YYYY-MM
//   repo       repository name
//   published  OpenDigger's published OpenRank (computed on all of GitHub)
//   computed   OpenRank computed by nichegraph from this graph (`nichegraph openrank`)
OPTIONAL MATCH (current:OpenRankRun {current: true})
WITH 'openrankComputed' + current.slot AS computedKey
MATCH (m:RepoMonth)
WHERE $first <= m.month <= $last AND m.openrank IS NOT NULL AND m[computedKey] IS NOT NULL
RETURN m.month AS month, m.repo AS repo, m.openrank AS published, m[computedKey] AS computed
ORDER BY month, repo
