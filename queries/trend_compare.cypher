// trend_compare: How do a few projects compare as communities in a window (the report's vLLM vs SGLang table)?
// One row per project: mean monthly OpenRank (published, and computed by `nichegraph openrank` when
// it has run; a month without a value counts as 0), contributors and participants, bus factor, new
// contributors, stars and activity. `nichegraph trends compare` adds the quarterly growth
// (trend_growth), the top developers (trend_compare_developers) and the shared developers
// (trend_compare_shared). Unknown names give no row.
//
// Parameters:
// :param repos => ['pytorch/pytorch', 'tensorflow/tensorflow']
// :param first => '2022-04'
// :param last => '2023-03'
//
// Columns:
//   repo                  project name
//   meanOpenrank          mean monthly published OpenRank in the window
//   meanOpenrankComputed  mean monthly computed OpenRank (null before `nichegraph openrank`)
//   contributors          distinct developers (bots left out) listed in OpenDigger's details in the window
//   bots                  distinct automation accounts listed in the window
//   participants          mean monthly participants (published; includes developers the details leave out)
//   busFactor             mean monthly bus factor (published)
//   lastBusFactor         bus factor in the last month of the window with a value
//   newContributors       new contributors over the window (sum of the published monthly counts)
//   stars                 new stars over the window
//   activity              published activity over the window
//   months                months of the window with data
//   domain                hand-made landscape domain, if any
//   window                the window FIRST:LAST
OPTIONAL MATCH (current:OpenRankRun {current: true})
WITH 'openrankComputed' + current.slot AS computedKey,
     (toInteger(left($last, 4)) - toInteger(left($first, 4))) * 12
       + toInteger(right($last, 2)) - toInteger(right($first, 2)) + 1 AS length
UNWIND $repos AS name
MATCH (r:Repo {name: name})
CALL (r, computedKey) {
  OPTIONAL MATCH (r)-[:HAS_MONTH]->(m:RepoMonth)
  WHERE $first <= m.month <= $last
  WITH m ORDER BY m.month
  RETURN sum(coalesce(m.openrank, 0)) AS published, sum(coalesce(m[computedKey], 0)) AS computed,
         count(m[computedKey]) AS computedMonths, avg(m.participants) AS participants,
         avg(m.busFactor) AS busFactor, last(collect(m.busFactor)) AS lastBusFactor,
         sum(coalesce(m.newContributors, 0)) AS newContributors, sum(coalesce(m.stars, 0)) AS stars,
         sum(coalesce(m.activity, 0)) AS activity, count(m) AS months
}
CALL (r) {
  OPTIONAL MATCH (r)<-[c:CONTRIBUTED]-(d:Developer)
  WHERE $first <= c.month <= $last
  // one flag read per developer rather than per monthly edge
  WITH DISTINCT d
  RETURN count(CASE WHEN NOT d.isBot THEN d END) AS contributors, count(CASE WHEN d.isBot THEN d END) AS bots
}
RETURN r.name AS repo, published / length AS meanOpenrank,
       CASE WHEN computedMonths > 0 THEN computed / length END AS meanOpenrankComputed,
       contributors, bots, participants, busFactor, lastBusFactor, newContributors, stars, activity, months,
       r.domain AS domain, $first + ':' + $last AS window
