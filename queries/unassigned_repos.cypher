// unassigned_repos: Which projects belong to no niche in a window, and why?
// From the window's NicheRun record (projects with contributions in the window only).
//
// Parameters:
// :param window => '2022-04:2023-03'
//
// Columns:
//   repo     owner/name
//   reason   why it was left out (too few or too weak links, no stable group)
MATCH (run:NicheRun {window: $window})
UNWIND range(0, size(run.unassigned) - 1) AS i
RETURN run.unassigned[i] AS repo, run.unassignedReasons[i] AS reason
ORDER BY repo
