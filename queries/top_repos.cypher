// top_repos: Which repositories lead by mean monthly OpenRank in a time window?
// Cost: whole graph (reads every RepoMonth of the window).
// Mean of the published monthly OpenRank over the months of the window that have a value,
// with the landscape domain where landscape labels are loaded.
//
// Parameters:
// :param first => '2022-04'
// :param last => '2023-03'
// :param limit => 20
//
// Columns:
//   repo          repository name
//   meanOpenrank  mean published monthly OpenRank in the window
//   months        months of the window with a published value
//   activity      sum of the published monthly activity in the window
//   domain        hand-made landscape domain (null when not in a loaded landscape)
MATCH (m:RepoMonth)
WHERE $first <= m.month <= $last AND m.openrank IS NOT NULL
WITH m.repo AS repo, avg(m.openrank) AS meanOpenrank, count(m) AS months, sum(m.activity) AS activity
ORDER BY meanOpenrank DESC LIMIT $limit
MATCH (r:Repo {name: repo})
RETURN repo, meanOpenrank, months, activity, r.domain AS domain
ORDER BY meanOpenrank DESC
