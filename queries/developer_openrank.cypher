// developer_openrank: How did a developer's computed OpenRank develop month by month?
// OpenDigger publishes no developer OpenRank for our data; these values are computed by
// `nichegraph openrank` from this graph. A developer's stored months are those it was active in;
// after each, while inactive, its value is the last one x the run's attenuation per month, kept
// while last month's value was above the run's minimum (docs/openrank.md). Months without a value
// have no row, nor do months after the last one `nichegraph openrank` computed. Returns no row for
// an unknown developer.
//
// Parameters:
// :param login => 'ezyang'
// :param first => '2022-04'
// :param last => '2023-03'
//
// Columns:
//   login     the developer's login (display casing)
//   month     YYYY-MM
//   computed  the developer's OpenRank that month, computed by nichegraph
//   active    whether the developer contributed to any repository of the graph that month
MATCH (run:OpenRankRun {current: true})
// the current run's slot holds the values; its decay rule derives the inactive months, and it
// gives no value after the last month it holds
MATCH (d:Developer {key: toLower($login)})
// the slot's series: n active months (year * 12 + month - 1), then their n values, then activity
WITH d, run, coalesce(d['openrankSeries' + run.slot], []) AS series
WITH d, run, series, size(series) / 3 AS n
WITH d, run, series[n..2 * n] AS values, [m IN series[..n] | toInteger(m)] AS at,
     [m IN [$last, coalesce(run.computedUntil, run.last)] | toInteger(left(m, 4)) * 12 + toInteger(right(m, 2)) - 1] AS ends
WITH d, run, values, at, CASE WHEN ends[0] < ends[1] THEN ends[0] ELSE ends[1] END AS lastAt
UNWIND range(0, size(at) - 1) AS i
// this active month and the inactive ones up to the next active month (or the window's end)
UNWIND range(0, coalesce(at[i + 1] - 1, lastAt) - at[i]) AS gap
WITH d, run, values[i] AS value, at[i] + gap AS monthAt, gap
WHERE gap = 0 OR value * run.paramAttenuation ^ (gap - 1) > run.paramMinValue
WITH d, toString(monthAt / 12) + '-' + right('0' + toString(monthAt % 12 + 1), 2) AS month,
     value * run.paramAttenuation ^ gap AS computed, gap = 0 AS active
WHERE $first <= month <= $last
RETURN d.login AS login, month, computed, active
ORDER BY month
