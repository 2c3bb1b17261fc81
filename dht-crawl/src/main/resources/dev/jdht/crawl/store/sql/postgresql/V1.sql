-- jdht crawl store, schema version 1 (PostgreSQL). Times are milliseconds since the epoch (UTC).
-- times_seen counts sightings as they were written; first_seen/last_seen are min/max.
CREATE TABLE infohash (
  infohash   BYTEA   NOT NULL PRIMARY KEY,  -- 20 bytes
  first_seen BIGINT  NOT NULL,
  last_seen  BIGINT  NOT NULL,
  times_seen BIGINT  NOT NULL,
  reporters  BIGINT  NOT NULL                -- = rows in infohash_reporter for it
);

-- one row per (infohash, reporting node id): makes the distinct reporter count exact and idempotent
CREATE TABLE infohash_reporter (
  infohash BYTEA NOT NULL,
  node_id  BYTEA NOT NULL,
  PRIMARY KEY (infohash, node_id)
);

CREATE TABLE node (
  id          BYTEA   NOT NULL PRIMARY KEY,  -- 20 bytes
  ip          TEXT    NOT NULL,
  port        INTEGER NOT NULL,
  first_seen  BIGINT  NOT NULL,
  last_seen   BIGINT  NOT NULL,
  times_seen  BIGINT  NOT NULL,
  bep51       INTEGER,                       -- NULL unknown, 1 answered sample_infohashes, 0 did not
  prev_bep51  INTEGER,                       -- bep51 before the last write (lets the writer count changes)
  num         BIGINT ,
  interval_s  BIGINT 
);

CREATE TABLE peer (
  infohash   BYTEA   NOT NULL,
  ip         TEXT    NOT NULL,
  port       INTEGER NOT NULL,
  first_seen BIGINT  NOT NULL,
  last_seen  BIGINT  NOT NULL,
  times_seen BIGINT  NOT NULL,
  PRIMARY KEY (infohash, ip, port)
);

CREATE TABLE crawl_state (
  k          TEXT    NOT NULL PRIMARY KEY,
  v          TEXT    NOT NULL,
  updated_at BIGINT  NOT NULL
);
