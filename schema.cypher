// nichegraph schema: constraints on every key the loaders MERGE on, and indexes for
// the lookups the queries make. Every statement is idempotent (IF NOT EXISTS): the
// loader applies this file before each load, and you can paste it into Neo4j Browser.
// See docs/model.md for the model these belong to.

// --- keys -----------------------------------------------------------------------------
// Repositories by full name "owner/repo", as OpenDigger spells it.
CREATE CONSTRAINT repo_name IF NOT EXISTS
FOR (r:Repo) REQUIRE r.name IS UNIQUE;

// Developers by lower-cased login (GitHub logins are case-insensitive); `login` keeps
// the display casing.
CREATE CONSTRAINT developer_key IF NOT EXISTS
FOR (d:Developer) REQUIRE d.key IS UNIQUE;

// One node per repository and month holding that month's published series.
CREATE CONSTRAINT repo_month_key IF NOT EXISTS
FOR (m:RepoMonth) REQUIRE (m.repo, m.month) IS UNIQUE;

// One node per load run (stats report the last one).
CREATE CONSTRAINT load_run_id IF NOT EXISTS
FOR (l:LoadRun) REQUIRE l.id IS UNIQUE;

// The writer lock (nichegraph/writelock.py): at most one node, taken with a MERGE that this
// constraint makes safe between processes; it says which command writes.
CREATE CONSTRAINT writer_lock_name IF NOT EXISTS
FOR (l:WriterLock) REQUIRE l.name IS UNIQUE;

// Hand-made landscape entries (llm_landscape_2025-09.csv, pytorch_landscape_2025.csv):
// key is the lower-cased owner/repo, or "project:<name>" for a project without one.
CREATE CONSTRAINT landscape_entry_key IF NOT EXISTS
FOR (e:LandscapeEntry) REQUIRE (e.landscape, e.key) IS UNIQUE;

// --- lookups --------------------------------------------------------------------------
CREATE INDEX repo_name_lower IF NOT EXISTS FOR (r:Repo) ON (r.nameLower);
CREATE INDEX repo_owner IF NOT EXISTS FOR (r:Repo) ON (r.owner);
// No index on Developer.login: every lookup by login goes through the key (`{key: toLower($login)}`).
CREATE INDEX developer_is_bot IF NOT EXISTS FOR (d:Developer) ON (d.isBot);
CREATE INDEX repo_month_month IF NOT EXISTS FOR (m:RepoMonth) ON (m.month);
CREATE INDEX landscape_entry_repo IF NOT EXISTS FOR (e:LandscapeEntry) ON (e.repoLower);
CREATE INDEX repo_domain IF NOT EXISTS FOR (r:Repo) ON (r.domain);
CREATE INDEX load_run_finished IF NOT EXISTS FOR (l:LoadRun) ON (l.finishedAt);
// Whole-graph windows ("every contribution in 2022-04..2023-03") seek this index
// instead of scanning all 2.2 million relationships.
CREATE INDEX contributed_month IF NOT EXISTS FOR ()-[c:CONTRIBUTED]-() ON (c.month);

// --- OpenRank and trends (issue 4) ----------------------------------------------------
// One node per `nichegraph openrank` run: its window, parameters and timing. Computed values
// live beside the published ones, in the run's slot A, B or C: RepoMonth.openrankComputedA, and on
// Developer one array openrankSeriesA (docs/openrank.md, "Storage").
CREATE CONSTRAINT openrank_run_id IF NOT EXISTS
FOR (o:OpenRankRun) REQUIRE o.id IS UNIQUE;
// Readers find the run whose values they read (`current: true`) before reading them.
CREATE INDEX openrank_run_current IF NOT EXISTS FOR (o:OpenRankRun) ON (o.current);

// One node per slot: the ids of the developers that may hold its series.
CREATE CONSTRAINT openrank_slot_name IF NOT EXISTS
FOR (s:OpenRankSlot) REQUIRE s.name IS UNIQUE;
// Trends grouped by hand-made landscape domain or layer (`nichegraph trends ... --domain`).
CREATE INDEX landscape_entry_domain IF NOT EXISTS FOR (e:LandscapeEntry) ON (e.domain);
CREATE INDEX landscape_entry_layer IF NOT EXISTS FOR (e:LandscapeEntry) ON (e.layer);

// --- niches and relations (issue 3) -----------------------------------------------------
// A window's niches are replaced as a whole: its `NicheRun` (parameters, stability,
// unassigned projects) and its `Niche` nodes are keyed by the window / the niche id
// ("2022-04:2023-03/pytorch/pytorch": window and most central member).
CREATE CONSTRAINT niche_run_window IF NOT EXISTS
FOR (run:NicheRun) REQUIRE run.window IS UNIQUE;
CREATE CONSTRAINT niche_id IF NOT EXISTS
FOR (n:Niche) REQUIRE n.id IS UNIQUE;
CREATE INDEX niche_window IF NOT EXISTS FOR (n:Niche) ON (n.window);
// Results relationships are looked up and replaced by window.
CREATE INDEX collaborates_window IF NOT EXISTS FOR ()-[c:COLLABORATES]-() ON (c.window);
CREATE INDEX upstream_of_window IF NOT EXISTS FOR ()-[x:UPSTREAM_OF]-() ON (x.window);
CREATE INDEX competes_with_window IF NOT EXISTS FOR ()-[x:COMPETES_WITH]-() ON (x.window);
CREATE INDEX peer_of_window IF NOT EXISTS FOR ()-[x:PEER_OF]-() ON (x.window);
// The explorer's precomputed figures of a window (issue 13): one RepoWindow per repository and
// analysed window, replaced with the window's niches.
CREATE CONSTRAINT repo_window IF NOT EXISTS
FOR (w:RepoWindow) REQUIRE (w.repo, w.window) IS UNIQUE;
CREATE INDEX repo_window_window IF NOT EXISTS FOR (w:RepoWindow) ON (w.window);

// --- named networks and the report's landscape (issue 12) -------------------------------
// A project network loaded from outside (`nichegraph load network`): (:Network {name, kind,
// source, format, period, weightMeaning, nodes, edges, loadedAt}), its members
// (:Repo)-[:IN_NETWORK {openrank}]->(:Network) and its links
// (:Repo)-[:NETWORK_LINK {network, weight, sharedDevelopers}]->(:Repo), kept apart from
// COLLABORATES. Its niches and relations are stored under the key 'network:NAME'.
CREATE CONSTRAINT network_name IF NOT EXISTS
FOR (n:Network) REQUIRE n.name IS UNIQUE;
CREATE INDEX network_link_network IF NOT EXISTS FOR ()-[l:NETWORK_LINK]-() ON (l.network);
// GitHub's repository id ties a renamed project's names together (landscape lists and the
// report's OpenRank series: hwchase17/langchain and langchain-ai/langchain are one Repo).
CREATE INDEX repo_repo_id IF NOT EXISTS FOR (r:Repo) ON (r.repoId);
CREATE INDEX landscape_entry_repo_id IF NOT EXISTS FOR (e:LandscapeEntry) ON (e.repoId);

// --- evaluation labels (issue 11) -----------------------------------------------------------
// Label files people wrote (`nichegraph load labels`), kept apart from the verdicts: a set by
// name, its rows as (:LabelSet)-[:HAS_LABEL]->(:Label). No analysis reads them.
CREATE CONSTRAINT label_set_name IF NOT EXISTS
FOR (s:LabelSet) REQUIRE s.name IS UNIQUE;
CREATE INDEX label_set IF NOT EXISTS FOR (l:Label) ON (l.set);
// Repo.role ("hub") of the last analysed window; each window's hubs stay on its NicheRun.
CREATE INDEX repo_role_window IF NOT EXISTS FOR (r:Repo) ON (r.roleWindow);
