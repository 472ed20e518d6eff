// trend_yoy: Which projects gained or lost the most OpenRank year over year?
// Cost: whole graph when no set is given (every project).
// Mean monthly OpenRank in the window against the same months one year earlier, absolute and
// relative change, ranked by absolute change (1 = largest gain), as the LLM landscape report ranks
// its fastest movers. A month without a value counts as 0, so a project that did not exist a year
// ago grows from 0 (its relative change is null). Projects: `repos`, a niche, a landscape domain /
// layer / landscape, or all (see trend_curves).
//
// Parameters:
// :param repos => []
// :param niche => null
// :param domain => null
// :param first => '2022-01'
// :param last => '2022-12'
// :param computed => false
//
// Columns:
//   rank            1 = largest absolute gain
//   repo            project name
//   current         mean monthly OpenRank in the window
//   previous        mean monthly OpenRank in the same months a year earlier
//   change          current - previous
//   relativeChange  change / previous (null when previous is 0)
//   currentMonths   months of the window with a value
//   previousMonths  months of the earlier window with a value
//   domain          hand-made landscape domain, if any
//   source          published | computed
//   window          the window FIRST:LAST
//   previousWindow  the same months one year earlier
OPTIONAL MATCH (current:OpenRankRun {current: true})
WITH 'openrankComputed' + current.slot AS computedKey, $first AS first, $last AS last,
     toString(toInteger(left($first, 4)) - 1) + right($first, 3) AS previousFirst,
     toString(toInteger(left($last, 4)) - 1) + right($last, 3) AS previousLast,
     (toInteger(left($last, 4)) - toInteger(left($first, 4))) * 12
       + toInteger(right($last, 2)) - toInteger(right($first, 2)) + 1 AS length
MATCH (r:Repo)
WHERE CASE
  WHEN $niche IS NOT NULL THEN EXISTS { (r)-[:IN_NICHE]->(:Niche {id: $niche}) }
  WHEN $domain IS NOT NULL THEN EXISTS {
    (r)-[:IN_LANDSCAPE]->(e:LandscapeEntry) WHERE $domain IN [e.domain, e.layer, e.landscape] }
  WHEN size($repos) > 0 THEN r.name IN $repos
  ELSE true
END
OPTIONAL MATCH (r)-[:HAS_MONTH]->(m:RepoMonth)
WHERE (previousFirst <= m.month <= previousLast OR first <= m.month <= last)
WITH r, first, last, previousFirst, previousLast, length, m,
     CASE WHEN $computed THEN m[computedKey] ELSE m.openrank END AS value
WITH r, first, last, previousFirst, previousLast, length,
     sum(CASE WHEN m.month >= first THEN coalesce(value, 0) ELSE 0 END) / length AS current,
     sum(CASE WHEN m.month <= previousLast THEN coalesce(value, 0) ELSE 0 END) / length AS previous,
     count(CASE WHEN m.month >= first THEN value END) AS currentMonths,
     count(CASE WHEN m.month <= previousLast THEN value END) AS previousMonths,
     previousFirst + ':' + previousLast AS previousWindow
WITH r, current, previous, currentMonths, previousMonths, previousWindow, current - previous AS change
ORDER BY change DESC, r.name
WITH collect({repo: r.name, domain: r.domain, current: current, previous: previous, change: change,
              currentMonths: currentMonths, previousMonths: previousMonths, previousWindow: previousWindow})
     AS rows
UNWIND range(0, size(rows) - 1) AS i
WITH i + 1 AS rank, rows[i] AS row
RETURN rank, row.repo AS repo, row.current AS current, row.previous AS previous, row.change AS change,
       CASE WHEN row.previous > 0 THEN row.change / row.previous END AS relativeChange,
       row.currentMonths AS currentMonths, row.previousMonths AS previousMonths, row.domain AS domain,
       CASE WHEN $computed THEN 'computed' ELSE 'published' END AS source,
       $first + ':' + $last AS window, row.previousWindow AS previousWindow
ORDER BY rank
