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
//   developerData         whether the graph holds any developer contributions for the project; when false
//                         (a project known from a landscape series only) the developer figures below are null
//   contributors          distinct developers (bots left out) listed in OpenDigger's details in the window
//   bots                  distinct automation accounts listed in the window
//   participants          mean monthly participants (published; includes developers the details leave out)
//   busFactor             mean monthly bus factor (published)
//   lastBusFactor         bus factor in the last month of the window with a value
//   newContributors       new contributors over the window (sum of the published monthly counts; null without any)
//   stars                 new stars over the window (null without any published value)
//   activity              published activity over the window (null without any published value)
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
         CASE WHEN count(m.newContributors) > 0 THEN sum(m.newContributors) END AS newContributors,
         CASE WHEN count(m.stars) > 0 THEN sum(m.stars) END AS stars,
         CASE WHEN count(m.activity) > 0 THEN sum(m.activity) END AS activity, count(m) AS months
}
// an analysed window's counts are stored with its niches (RepoWindow); other windows count them here
OPTIONAL MATCH (r)-[:HAS_WINDOW]->(w:RepoWindow {window: $first + ':' + $last})
CALL (r, w) {
  WITH r WHERE w.bots IS NULL
  OPTIONAL MATCH (r)<-[c:CONTRIBUTED]-(d:Developer)
  WHERE $first <= c.month <= $last
  // one flag read per developer rather than per monthly edge
  WITH DISTINCT d
  RETURN count(CASE WHEN NOT d.isBot THEN d END) AS countedContributors,
         count(CASE WHEN d.isBot THEN d END) AS countedBots
}
WITH r, computedKey, length, published, computed, computedMonths, participants, busFactor, lastBusFactor,
     newContributors, stars, activity, months,
     CASE WHEN w.bots IS NULL THEN countedContributors ELSE w.developers END AS contributors,
     CASE WHEN w.bots IS NULL THEN countedBots ELSE w.bots END AS bots
WITH r, published, computed, computedMonths, participants, busFactor, lastBusFactor, newContributors, stars,
     activity, months, contributors, bots, length, EXISTS { (r)<-[:CONTRIBUTED]-() } AS developerData
RETURN r.name AS repo, published / length AS meanOpenrank,
       CASE WHEN computedMonths > 0 THEN computed / length END AS meanOpenrankComputed, developerData,
       CASE WHEN developerData THEN contributors END AS contributors, CASE WHEN developerData THEN bots END AS bots,
       participants, busFactor, lastBusFactor,
       CASE WHEN developerData THEN newContributors END AS newContributors, stars, activity, months,
       r.domain AS domain, $first + ':' + $last AS window
