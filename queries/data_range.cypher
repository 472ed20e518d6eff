// data_range: Which months does the loaded data cover?
// The first and last month of any repository series; the explorer's default window is the
// last 12 months of this range.
//
// Parameters: none
//
// Columns:
//   firstMonth  first month with data (YYYY-MM), null on an empty graph
//   lastMonth   last month with data
MATCH (m:RepoMonth)
RETURN min(m.month) AS firstMonth, max(m.month) AS lastMonth
