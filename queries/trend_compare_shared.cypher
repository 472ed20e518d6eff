// trend_compare_shared: Which developers do the compared projects share in a window?
// For each pair of the given projects: how many developers (bots left out) were active in both
// in the window, and the shared developers with the highest computed OpenRank (their mean over
// the window's months with a value; null before `nichegraph openrank`), with their activity in each.
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
OPTIONAL MATCH (current:OpenRankRun {current: true})
WITH current.slot AS slot
UNWIND $repos AS a
UNWIND $repos AS b
WITH slot, a, b WHERE a < b
MATCH (:Repo {name: a})<-[ca:CONTRIBUTED]-(d:Developer)
WHERE $first <= ca.month <= $last
WITH slot, a, b, d, sum(ca.activity) AS activityA
// the bot flag read once per developer, not once per monthly edge
WHERE NOT d.isBot
MATCH (d)-[cb:CONTRIBUTED]->(:Repo {name: b})
WHERE $first <= cb.month <= $last
WITH a, b, d, activityA, sum(cb.activity) AS activityB, coalesce(d['openrankMonths' + slot], []) AS months,
     d['openrankComputed' + slot] AS computed
WITH a, b, d, activityA, activityB,
     [i IN range(0, size(months) - 1) WHERE $first <= months[i] <= $last | computed[i]] AS values
WITH a, b, d, activityA, activityB,
     CASE WHEN size(values) > 0 THEN reduce(s = 0.0, x IN values | s + x) / size(values) END AS openrank
ORDER BY a, b, openrank IS NULL, openrank DESC, activityA + activityB DESC, d.key
WITH a, b, collect({login: d.login, openrank: openrank, activityA: activityA, activityB: activityB}) AS shared
RETURN a, b, size(shared) AS shared, shared[..$limit] AS developers, $first + ':' + $last AS window
ORDER BY a, b
