// data_range: Which months does the loaded data cover?
// The first and last month of any repository series, and the last month with OpenDigger's
// activity data (developer contributions): the default window is the last 12 months up to it,
// so OpenRank-only series (`nichegraph load landscape` series files) that run later do not
// move it past the contributions.
//
// Parameters: none
//
// Columns:
//   firstMonth         first month with data (YYYY-MM), null on an empty graph
//   lastMonth          last month with data
//   lastActivityMonth  last month with published activity, null when only OpenRank series are loaded
MATCH (m:RepoMonth)
RETURN min(m.month) AS firstMonth, max(m.month) AS lastMonth,
       max(CASE WHEN m.activity IS NOT NULL THEN m.month END) AS lastActivityMonth
