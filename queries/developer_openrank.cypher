// developer_openrank: How did a developer's computed OpenRank develop month by month?
// OpenDigger publishes no developer OpenRank for our data; these values are computed by
// `nichegraph openrank` from this graph. Months without a value (inactive, and the value had
// dropped below the minimum) have no row. Returns no row for an unknown developer.
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
OPTIONAL MATCH (current:OpenRankRun {current: true})
MATCH (d:Developer {key: toLower($login)})
WITH d, d['openrankMonths' + current.slot] AS months, d['openrankComputed' + current.slot] AS values
UNWIND range(0, size(coalesce(months, [])) - 1) AS i
WITH d, months[i] AS month, values[i] AS computed
WHERE $first <= month <= $last
RETURN d.login AS login, month, computed,
       EXISTS { (d)-[c:CONTRIBUTED]->() WHERE c.month = month } AS active
ORDER BY month
