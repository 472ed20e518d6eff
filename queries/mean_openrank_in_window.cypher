// mean_openrank_in_window: What is each project's mean monthly OpenRank in a window?
// OpenDigger's published value (RepoMonth.openrank), averaged over the window's months that
// have one (a missing month is no data, not zero). Seed expansion thresholds and exports use it.
//
// Parameters:
// :param window => '2022-04:2023-03'
//
// Columns:
//   repo      owner/name
//   openrank  mean of the monthly published OpenRank over the months with a value
//   months    months of the window with a value
MATCH (m:RepoMonth)
WHERE split($window, ':')[0] <= m.month <= split($window, ':')[1] AND m.openrank IS NOT NULL
RETURN m.repo AS repo, avg(m.openrank) AS openrank, count(m) AS months
ORDER BY openrank DESC, repo
