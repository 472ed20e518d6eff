// trend_newcomers: Which projects that pass an OpenRank threshold in the window first became active inside it?
// Cost: whole graph when no set is given (every project).
// Trending projects are those whose monthly OpenRank reached `minOpenrank` in some month of the
// window. A trending project is a newcomer when its first month with any published activity falls
// inside the window. A project active in the first month of the whole data may be older than the
// data, so it is never called a newcomer (`ageKnown` false). The report: 21% of the trending
// projects of the 2025 LLM landscape were under six months old. Projects: `repos`, a niche, a
// landscape domain / layer / landscape, or all (see trend_curves).
//
// Parameters:
// :param repos => []
// :param niche => null
// :param domain => null
// :param first => '2022-04'
// :param last => '2023-03'
// :param minOpenrank => 100.0
// :param computed => false
//
// Columns:
//   repo            project name
//   newcomer        whether its first activity falls inside the window
//   firstActivity   first month with published activity (over all the data)
//   ageMonths       months from first activity to the window's last month, inclusive (null: unknown)
//   ageKnown        false when the project was already active in the first month of the data
//   peakOpenrank    highest monthly OpenRank in the window
//   peakMonth       the month of that peak
//   meanOpenrank    mean monthly OpenRank over the window (a month without a value counts as 0)
//   domain          hand-made landscape domain, if any
//   source          published | computed
//   window          the window FIRST:LAST
OPTIONAL MATCH (current:OpenRankRun {current: true})
WITH 'openrankComputed' + current.slot AS computedKey
CALL () {
  MATCH (m:RepoMonth)
  RETURN min(m.month) AS dataStart
}
MATCH (r:Repo)
WHERE CASE
  WHEN $niche IS NOT NULL THEN EXISTS { (r)-[:IN_NICHE]->(:Niche {id: $niche}) }
  WHEN $domain IS NOT NULL THEN EXISTS {
    (r)-[:IN_LANDSCAPE]->(e:LandscapeEntry) WHERE $domain IN [e.domain, e.layer, e.landscape] }
  WHEN size($repos) > 0 THEN r.name IN $repos
  ELSE true
END
CALL (r) {
  MATCH (r)-[:HAS_MONTH]->(m:RepoMonth)
  WHERE m.activity > 0
  RETURN min(m.month) AS firstActivity
}
MATCH (r)-[:HAS_MONTH]->(m:RepoMonth)
WHERE $first <= m.month <= $last
WITH dataStart, r, firstActivity, m, CASE WHEN $computed THEN m[computedKey] ELSE m.openrank END AS openrank
ORDER BY openrank IS NULL, openrank DESC
WITH dataStart, r, firstActivity, collect({month: m.month, openrank: openrank})[0] AS peak,
     sum(coalesce(openrank, 0)) AS total
WHERE peak.openrank >= $minOpenrank
WITH r, firstActivity, peak, total, firstActivity IS NOT NULL AND firstActivity > dataStart AS ageKnown,
     (toInteger(left($last, 4)) - toInteger(left($first, 4))) * 12
       + toInteger(right($last, 2)) - toInteger(right($first, 2)) + 1 AS length
RETURN r.name AS repo, ageKnown AND $first <= firstActivity <= $last AS newcomer, firstActivity,
       CASE WHEN ageKnown THEN (toInteger(left($last, 4)) - toInteger(left(firstActivity, 4))) * 12
                               + toInteger(right($last, 2)) - toInteger(right(firstActivity, 2)) + 1 END AS ageMonths,
       ageKnown, peak.openrank AS peakOpenrank, peak.month AS peakMonth, total / length AS meanOpenrank,
       r.domain AS domain, CASE WHEN $computed THEN 'computed' ELSE 'published' END AS source,
       $first + ':' + $last AS window
ORDER BY newcomer DESC, peakOpenrank DESC, repo
