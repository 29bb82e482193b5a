-- Bulwark vulnerability store, schema 1. Written in the SQL both H2 (MODE=PostgreSQL) and PostgreSQL accept.
-- Advisories are kept whole as encoded documents; the tables beside them are indexes for the two questions
-- matching asks: "which advisories name this (ecosystem, package)?" and "what do KEV, EPSS and NVD say of this id?".

CREATE TABLE db_meta (
    meta_key   VARCHAR(64)   NOT NULL PRIMARY KEY,
    meta_value VARCHAR(4000) NOT NULL
);

-- One row per feed source ("osv-go", "debian", "alpine", "nvd", "kev", "epss"...): where it came from and when.
CREATE TABLE feed_source (
    name       VARCHAR(200)  NOT NULL PRIMARY KEY,
    origin     VARCHAR(4000) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    records    BIGINT        NOT NULL,
    problems   BIGINT        NOT NULL
);

CREATE TABLE advisory (
    pk     BIGINT       NOT NULL PRIMARY KEY,
    source VARCHAR(200) NOT NULL,
    id     VARCHAR(300) NOT NULL,
    doc    BYTEA        NOT NULL
);
CREATE INDEX advisory_source ON advisory (source);

-- (ecosystem, name) keys, normalised (see PackageKey): the matcher's lookup.
CREATE TABLE affected (
    ecosystem   VARCHAR(200)  NOT NULL,
    name        VARCHAR(1000) NOT NULL,
    advisory_pk BIGINT        NOT NULL
);
CREATE INDEX affected_key ON affected (ecosystem, name);
CREATE INDEX affected_advisory ON affected (advisory_pk);

-- Every id an advisory is known by (its own and its aliases): enrichment by CVE id.
CREATE TABLE alias (
    alias       VARCHAR(300) NOT NULL,
    advisory_pk BIGINT       NOT NULL
);
CREATE INDEX alias_name ON alias (alias);
CREATE INDEX alias_advisory ON alias (advisory_pk);

CREATE TABLE kev (
    cve_id     VARCHAR(64)   NOT NULL PRIMARY KEY,
    date_added DATE,
    due_date   DATE,
    ransomware BOOLEAN       NOT NULL,
    title      VARCHAR(1000) NOT NULL
);

CREATE TABLE epss (
    cve_id     VARCHAR(64) NOT NULL PRIMARY KEY,
    score      DOUBLE PRECISION NOT NULL,
    percentile DOUBLE PRECISION NOT NULL
);
