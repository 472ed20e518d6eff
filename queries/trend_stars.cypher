// trend_stars: How many new stars did each project get month by month?
// Cost: whole graph when no set is given (every project).
// Monthly star increments (OpenDigger's stars.json: new stars that month), as the vector-database
// hype curve of early 2023 is read: per project the total in the window, the peak month, and the
// monthly series (a month without data is null). Projects: `repos`, a niche, a landscape domain /
// layer / landscape, or all (see trend_curves).
//
// Parameters:
// :param repos => ['AUTOMATIC1111/stable-diffusion-webui', 'huggingface/transformers']
// :param niche => null
// :param domain => null
// :param first => '2022-04'
// :param last => '2023-03'
//
// Columns:
//   repo       project name
//   stars      new stars in the window
//   peakMonth  the month with the most new stars
//   peakStars  new stars in that month
//   months     the months of the window with data, in order
//   monthly    new stars in each of those months
//   source     published (stars are always OpenDigger's)
//   window     the window FIRST:LAST
MATCH (r:Repo)
WHERE CASE
  WHEN $niche IS NOT NULL THEN EXISTS { (r)-[:IN_NICHE]->(:Niche {id: $niche}) }
  WHEN $domain IS NOT NULL THEN EXISTS {
    (r)-[:IN_LANDSCAPE]->(e:LandscapeEntry) WHERE $domain IN [e.domain, e.layer, e.landscape] }
  WHEN size($repos) > 0 THEN r.name IN $repos
  ELSE true
END
MATCH (r)-[:HAS_MONTH]->(m:RepoMonth)
WHERE $first <= m.month <= $last
WITH r, m ORDER BY m.month
WITH r, collect({month: m.month, stars: m.stars}) AS series, sum(coalesce(m.stars, 0)) AS stars
WITH r, series, stars,
     reduce(best = null, x IN series |
       CASE WHEN x.stars IS NOT NULL AND (best IS NULL OR x.stars > best.stars) THEN x ELSE best END) AS peak
RETURN r.name AS repo, stars, peak.month AS peakMonth, peak.stars AS peakStars,
       [x IN series | x.month] AS months, [x IN series | x.stars] AS monthly,
       'published' AS source, $first + ':' + $last AS window
ORDER BY stars DESC, repo
