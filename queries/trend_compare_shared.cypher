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
MATCH (:Repo {name: a})<-[ca:CONTRIBUTED]-(d:Developer)
WHERE $first <= ca.month <= $last
WITH run, slot, computedUntil, a, b, d, sum(ca.activity) AS activityA
// the bot flag read once per developer, not once per monthly edge
WHERE NOT d.isBot
MATCH (d)-[cb:CONTRIBUTED]->(:Repo {name: b})
WHERE $first <= cb.month <= $last
// the slot's series: n active months (year * 12 + month - 1), then their n values, then activity
WITH run, computedUntil, a, b, d, activityA, sum(cb.activity) AS activityB,
     coalesce(d['openrankSeries' + slot], []) AS series
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
