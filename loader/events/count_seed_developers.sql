-- count_seed_developers: how many active developers the seeds have together.
-- Parameters: those of active_developers.sql, {seeds:Array(String)} (lower-cased names)
SELECT count() AS developers FROM seed_developers
