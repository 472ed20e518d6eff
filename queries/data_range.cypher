// data_range: Which months does the loaded data cover?
// The first and last month of any repository series, and the first and last month with
// OpenDigger's activity data (developer contributions): the default windows lie inside the
// activity months, so OpenRank-only series (`nichegraph load landscape` series files) that start
// earlier or run later do not move them off the contributions.
//
// Parameters: none
//
// Columns:
//   firstMonth         first month with data (YYYY-MM), null on an empty graph
//   lastMonth          last month with data
//   firstActivityMonth  first month with published activity, null when only OpenRank series are loaded
//   lastActivityMonth   last month with published activity
MATCH (m:RepoMonth)
RETURN min(m.month) AS firstMonth, max(m.month) AS lastMonth,
       min(CASE WHEN m.activity IS NOT NULL THEN m.month END) AS firstActivityMonth,
       max(CASE WHEN m.activity IS NOT NULL THEN m.month END) AS lastActivityMonth
