// openrank_participants: How many developers and how much activity did OpenDigger count for each repository and month?
// Cost: whole graph (every RepoMonth of the window).
// OpenDigger's published totals, which include the developers its details leave out;
// `nichegraph openrank` compares them with the listed developers to estimate that tail.
//
// Parameters:
// :param first => '2023-03'
// :param last => '2023-03'
//
// Columns:
//   month         YYYY-MM
//   repo          repository name
//   participants  developers with any activity that month (published)
//   activity      total activity that month (published; the sum of every developer's score)
MATCH (m:RepoMonth)
WHERE $first <= m.month <= $last AND m.participants IS NOT NULL AND m.activity IS NOT NULL
RETURN m.month AS month, m.repo AS repo, m.participants AS participants, m.activity AS activity
