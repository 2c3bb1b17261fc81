-- jdht crawl store, schema version 1 (SQLite). Times are milliseconds since the epoch (UTC).
-- times_seen counts sightings as they were written; first_seen/last_seen are min/max.
CREATE TABLE infohash (
  infohash   BLOB    NOT NULL PRIMARY KEY,  -- 20 bytes
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  times_seen INTEGER NOT NULL,
  reporters  INTEGER NOT NULL                -- = rows in infohash_reporter for it
) WITHOUT ROWID;

-- one row per (infohash, reporting node id): makes the distinct reporter count exact and idempotent
CREATE TABLE infohash_reporter (
  infohash BLOB NOT NULL,
  node_id  BLOB NOT NULL,
  PRIMARY KEY (infohash, node_id)
) WITHOUT ROWID;

CREATE TABLE node (
  id          BLOB    NOT NULL PRIMARY KEY,  -- 20 bytes
  ip          TEXT    NOT NULL,
  port        INTEGER NOT NULL,
  first_seen  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  times_seen  INTEGER NOT NULL,
  bep51       INTEGER,                       -- NULL unknown, 1 answered sample_infohashes, 0 did not
  prev_bep51  INTEGER,                       -- bep51 before the last write (lets the writer count changes)
  num         INTEGER,
  interval_s  INTEGER
) WITHOUT ROWID;

CREATE TABLE peer (
  infohash   BLOB    NOT NULL,
  ip         TEXT    NOT NULL,
  port       INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  times_seen INTEGER NOT NULL,
  PRIMARY KEY (infohash, ip, port)
) WITHOUT ROWID;

CREATE TABLE crawl_state (
  k          TEXT    NOT NULL PRIMARY KEY,
  v          TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);
