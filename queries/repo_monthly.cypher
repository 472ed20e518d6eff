// repo_monthly: How did a repository's OpenRank, activity, stars and participants develop month by month?
// One row per month with data: OpenDigger's published series, and nichegraph's own computed
// OpenRank where `nichegraph openrank` has run. A month missing from a series is null, not 0.
//
// Parameters:
// :param repo => 'pytorch/pytorch'
// :param first => '2021-01'
// :param last => '2023-03'
//
// Columns:
//   month             YYYY-MM
//   openrank          published OpenRank (OpenDigger, global graph)
//   openrankComputed  OpenRank computed by nichegraph from this graph (null before `nichegraph openrank`)
//   activity          published activity (includes the long tail cut from the developer details)
//   stars             new stars that month
//   participants      developers with any activity that month
//   busFactor         fewest developers producing half the activity
OPTIONAL MATCH (current:OpenRankRun {current: true})
WITH 'openrankComputed' + current.slot AS computedKey
MATCH (m:RepoMonth {repo: $repo})
WHERE $first <= m.month <= $last
RETURN m.month AS month, m.openrank AS openrank, m[computedKey] AS openrankComputed,
       m.activity AS activity, m.stars AS stars, m.participants AS participants, m.busFactor AS busFactor
ORDER BY month
