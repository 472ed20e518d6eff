// trend_compare_shared: Which developers do the compared projects share in a window?
// For each pair of the given projects: how many developers (bots left out) were active in both
// in the window, and the shared developers with the highest computed OpenRank (their mean over
// the window's months with a value, inactive months derived from the last active one as in
// `developer_openrank`; null before `nichegraph openrank`), with their activity in each.
//
// Parameters:
// :param repos => ['pytorch/pytorch', 'tensorflow/tensorflow']
// :param first => '2022-04'
// :param last => '2023-03'
// :param limit => 10
//
// Columns:
//   a           first project of the pair
//   b           second project of the pair
//   shared      developers active in both in the window
//   developers  the top shared developers: {login, openrank, activityA, activityB}
//   window      the window FIRST:LAST
OPTIONAL MATCH (run:OpenRankRun {current: true})
// the current run's slot holds the values; its decay rule derives the inactive months
WITH run, run.slot AS slot, coalesce(run.computedUntil, run.last) AS computedUntil
UNWIND $repos AS a
UNWIND $repos AS b
WITH run, slot, computedUntil, a, b WHERE a < b
MATCH (ra:Repo {name: a}), (rb:Repo {name: b})
// start from the project with fewer contribution edges (a degree read, no scan) and look for its
// developers' edges into the other: a small project beside a large one then reads few edges
WITH run, slot, computedUntil, a, b,
     CASE WHEN COUNT { (ra)<-[:CONTRIBUTED]-() } <= COUNT { (rb)<-[:CONTRIBUTED]-() } THEN [ra, rb] ELSE [rb, ra] END
       AS sides
WITH run, slot, computedUntil, a, b, sides[0] AS near, sides[1] AS far
MATCH (near)<-[cn:CONTRIBUTED]-(d:Developer)
WHERE $first <= cn.month <= $last
// the bot flag read once per developer, not once per monthly edge
WITH run, slot, computedUntil, a, b, near, far, d, sum(cn.activity) AS activityNear
WHERE NOT d.isBot
MATCH (d)-[cf:CONTRIBUTED]->(far)
WHERE $first <= cf.month <= $last
// the slot's series: n active months (year * 12 + month - 1), then their n values, then activity
WITH run, slot, computedUntil, a, b, d, near, activityNear, sum(cf.activity) AS activityFar,
     coalesce(d['openrankSeries' + slot], []) AS series
WITH run, slot, computedUntil, a, b, d, series,
     CASE WHEN near.name = a THEN activityNear ELSE activityFar END AS activityA,
     CASE WHEN near.name = a THEN activityFar ELSE activityNear END AS activityB
WITH run, computedUntil, a, b, d, activityA, activityB, series[size(series) / 3..2 * size(series) / 3] AS computed,
     [m IN series[..size(series) / 3] | toInteger(m) + 1] AS at
// each window month: the developer's last active month up to it; an inactive month's value is
// that month's value x the attenuation per month, while last month's was above the minimum
WITH a, b, d, activityA, activityB, run,
     [w IN range(toInteger(left($first, 4)) * 12 + toInteger(right($first, 2)),
                 toInteger(left($last, 4)) * 12 + toInteger(right($last, 2)))
      WHERE w <= toInteger(left(computedUntil, 4)) * 12 + toInteger(right(computedUntil, 2)) |
      [i IN range(0, size(at) - 1) WHERE at[i] <= w | {gap: w - at[i], value: computed[i]}][-1]] AS latest
WITH a, b, d, activityA, activityB,
     [x IN latest WHERE x IS NOT NULL AND (x.gap = 0 OR x.value * run.paramAttenuation ^ (x.gap - 1) > run.paramMinValue)
      | CASE WHEN x.gap = 0 THEN x.value ELSE x.value * run.paramAttenuation ^ x.gap END] AS values
WITH a, b, d, activityA, activityB,
     CASE WHEN size(values) > 0 THEN reduce(s = 0.0, x IN values | s + x) / size(values) END AS openrank
ORDER BY a, b, openrank IS NULL, openrank DESC, activityA + activityB DESC, d.key
WITH a, b, collect({login: d.login, openrank: openrank, activityA: activityA, activityB: activityB}) AS shared
RETURN a, b, size(shared) AS shared, shared[..$limit] AS developers, $first + ':' + $last AS window
ORDER BY a, b
