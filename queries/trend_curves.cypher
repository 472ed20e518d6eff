// trend_curves: How did the OpenRank, activity, stars and participants of a set of projects develop month by month?
// One row per project and month of the window that has data. The set is `repos`, or the members of
// a niche (`niche`, an id written by `nichegraph niches`), or the projects of a hand-made landscape
// domain, layer or landscape (`domain`); with none of them, every project. OpenRank is OpenDigger's
// published value, or with `computed` true the one nichegraph computed from this graph
// (`nichegraph openrank`). A month missing from a series is null, not 0.
//
// Parameters:
// :param repos => ['pytorch/pytorch', 'tensorflow/tensorflow']
// :param niche => null
// :param domain => null
// :param first => '2022-04'
// :param last => '2023-03'
// :param computed => false
//
// Columns:
//   repo          project (repository) name
//   month         YYYY-MM
//   openrank      monthly OpenRank (published or computed, see source)
//   activity      published monthly activity
//   stars         new stars that month
//   participants  developers with any activity that month (published)
//   source        published | computed: where openrank comes from
//   window        the window FIRST:LAST
OPTIONAL MATCH (current:OpenRankRun {current: true})
WITH 'openrankComputed' + current.slot AS computedKey
MATCH (r:Repo)
WHERE CASE
  WHEN $niche IS NOT NULL THEN EXISTS { (r)-[:IN_NICHE]->(:Niche {id: $niche}) }
  WHEN $domain IS NOT NULL THEN EXISTS {
    (r)-[:IN_LANDSCAPE]->(e:LandscapeEntry) WHERE $domain IN [e.domain, e.layer, e.landscape] }
  WHEN size($repos) > 0 THEN r.name IN $repos
  ELSE true
END
// each chosen project's months (a few projects: a few hundred reads, where starting from the
// window's months of every project read 15,000; every project: 7% slower, 189 against 176 ms)
CALL (r) {
  MATCH (r)-[:HAS_MONTH]->(m:RepoMonth)
  WHERE $first <= m.month <= $last
  RETURN m
}
RETURN r.name AS repo, m.month AS month,
       CASE WHEN $computed THEN m[computedKey] ELSE m.openrank END AS openrank,
       m.activity AS activity, m.stars AS stars, m.participants AS participants,
       CASE WHEN $computed THEN 'computed' ELSE 'published' END AS source, $first + ':' + $last AS window
ORDER BY repo, month
