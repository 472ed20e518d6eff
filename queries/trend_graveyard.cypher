// trend_graveyard: Which projects were prominent and then went quiet up to the end of the window?
// Cost: whole graph when no set is given (every project).
// A project is in the graveyard when, inside the window, its peak monthly OpenRank reached
// `minPeakOpenrank` or its peak monthly attention reached `minPeakAttention`, and its published
// monthly activity stayed below `activityFloor` for at least `quietMonths` months up to the window's
// last month (a month without data counts as no activity). Use the last month of the data as
// `last` for "went quiet up to now". Projects: `repos`, a niche, a landscape domain / layer /
// landscape, or all (see trend_curves).
//
// Parameters:
// :param repos => []
// :param niche => null
// :param domain => null
// :param first => '2015-01'
// :param last => '2023-03'
// :param minPeakOpenrank => 100.0
// :param minPeakAttention => 1000
// :param activityFloor => 10.0
// :param quietMonths => 6
// :param computed => false
//
// Columns:
//   repo                project name
//   peakOpenrank        highest monthly OpenRank in the window
//   peakOpenrankMonth   the month of that peak
//   peakAttention       highest monthly attention (stars + forks, weighted; published)
//   peakAttentionMonth  the month of that peak
//   lastActiveMonth     last month of the window with activity at or above the floor (null: none)
//   quietMonths         months since then up to the window's last month
//   lastActivity        published activity in the last active month
//   domain              hand-made landscape domain, if any
//   source              published | computed (the OpenRank figures)
//   window              the window FIRST:LAST
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
MATCH (r)-[:HAS_MONTH]->(m:RepoMonth)
WHERE $first <= m.month <= $last
WITH r, m, computedKey ORDER BY m.month
WITH r, collect({month: m.month, attention: m.attention, activity: coalesce(m.activity, 0),
                 openrank: CASE WHEN $computed THEN m[computedKey] ELSE m.openrank END}) AS series
WITH r, series,
     reduce(best = null, x IN series |
       CASE WHEN x.openrank IS NOT NULL AND (best IS NULL OR x.openrank > best.openrank) THEN x ELSE best END)
       AS peakO,
     reduce(best = null, x IN series |
       CASE WHEN x.attention IS NOT NULL AND (best IS NULL OR x.attention > best.attention) THEN x ELSE best END)
       AS peakA,
     [x IN series WHERE x.activity >= $activityFloor] AS active
WHERE coalesce(peakO.openrank, 0) >= $minPeakOpenrank OR coalesce(peakA.attention, 0) >= $minPeakAttention
WITH r, peakO, peakA, last(active) AS lastActive,
     toInteger(left($last, 4)) * 12 + toInteger(right($last, 2)) AS lastIndex,
     toInteger(left($first, 4)) * 12 + toInteger(right($first, 2)) AS firstIndex
WITH r, peakO, peakA, lastActive,
     CASE WHEN lastActive IS NULL THEN lastIndex - firstIndex + 1
          ELSE lastIndex - (toInteger(left(lastActive.month, 4)) * 12 + toInteger(right(lastActive.month, 2)))
     END AS quiet
WHERE quiet >= $quietMonths
RETURN r.name AS repo, peakO.openrank AS peakOpenrank, peakO.month AS peakOpenrankMonth,
       peakA.attention AS peakAttention, peakA.month AS peakAttentionMonth,
       lastActive.month AS lastActiveMonth, quiet AS quietMonths, lastActive.activity AS lastActivity,
       r.domain AS domain, CASE WHEN $computed THEN 'computed' ELSE 'published' END AS source,
       $first + ':' + $last AS window
ORDER BY quietMonths DESC, peakOpenrank DESC, repo
