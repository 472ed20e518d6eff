// stars_in_window: How many new stars did each project get in a window?
// OpenDigger's monthly new stars (RepoMonth.stars) summed over the window's months that have a
// value; a project without any stars value in the window has no row (unknown, not zero). The
// distribution-hub rule divides it by the project's active developers (docs/niches.md).
//
// Parameters:
// :param window => '2022-04:2023-03'
//
// Columns:
//   repo    owner/name
//   stars   new stars over the months of the window with a value
//   months  months of the window with a value
MATCH (m:RepoMonth)
WHERE split($window, ':')[0] <= m.month <= split($window, ':')[1] AND m.stars IS NOT NULL
RETURN m.repo AS repo, sum(m.stars) AS stars, count(m) AS months
ORDER BY stars DESC, repo
