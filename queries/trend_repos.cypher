// trend_repos: Which projects of the graph do these names refer to (case-insensitively)?
// One row per given name; `repo` is null for a name the graph does not hold, and `landscape`
// then says whether a loaded landscape lists it (an entry kept without OpenDigger data). The
// trend commands use it to name unknown projects and to spell the known ones as the graph does.
//
// Parameters:
// :param names => ['PyTorch/PyTorch', 'vllm-project/vllm']
//
// Columns:
//   name       the name as given
//   repo       the repository as the graph spells it (null: not in the graph)
//   landscape  landscapes listing the name (useful when repo is null)
UNWIND $names AS name
OPTIONAL MATCH (r:Repo {nameLower: toLower(name)})
OPTIONAL MATCH (e:LandscapeEntry {repoLower: toLower(name)})
WITH name, r, collect(e.landscape) AS landscape
RETURN name, r.name AS repo, landscape
