// mean_openrank_computed_in_window: What is each project's mean monthly OpenRank as nichegraph computes it, in a window?
// The OpenRank `nichegraph openrank` computed from the graph (RepoMonth.openrankComputedA, B or C,
// the current run's slot), averaged over the window's months that have one: what an expansion
// falls back on for projects without a published value (loaded from GitHub events, for example).
//
// Parameters:
// :param window => '2022-04:2023-03'
//
// Columns:
//   repo      owner/name
//   openrank  mean of the monthly computed OpenRank over the months with a value
//   months    months of the window with a value
MATCH (run:OpenRankRun {current: true})
WITH 'openrankComputed' + run.slot AS computedKey
MATCH (m:RepoMonth)
WHERE split($window, ':')[0] <= m.month <= split($window, ':')[1] AND m[computedKey] IS NOT NULL
RETURN m.repo AS repo, avg(m[computedKey]) AS openrank, count(m) AS months
ORDER BY openrank DESC, repo
