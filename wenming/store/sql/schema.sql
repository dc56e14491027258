-- The store: one table per sheet kind holding every row ever imported, an import log,
-- and the loads (one per imported sheet) that say which rows are in force.
-- Column names are the roles of WORKBOOKS.md; *_text keeps a cell as written.

create sequence if not exists import_ids start 1;
create sequence if not exists load_ids start 1;

create table if not exists imports (
    import_id     integer primary key,
    imported_at   timestamp not null,
    user_name     varchar not null,
    file_name     varchar not null,
    sha256        varchar not null,
    size_bytes    bigint not null,
    stored_as     varchar,            -- archived original, relative to the archive folder
    action        varchar not null,   -- import | restore
    restored_from integer,            -- for a restore: the import whose rows came back
    sheets        json not null,      -- [{"sheet", "kind", "rows", "header_row", "ref_date"}]
    rows          json not null,      -- {"tasks": 128, ...}
    warning_count integer not null
);

create table if not exists import_warnings (
    import_id integer not null,
    sheet     varchar not null,
    cell      varchar not null,
    code      varchar not null,
    params    json not null,
    message   varchar not null        -- as shown at import time, in Chinese
);

create table if not exists loads (
    load_id      integer primary key,
    import_id    integer not null,
    kind         varchar not null,
    sheet        varchar not null,
    whole        boolean not null,    -- no department column: covers every department
    effective_on date not null        -- the sheet's 截至 date, else the import's as-of date
);

-- The departments each load speaks for; NULL stands for rows without a department.
create table if not exists load_scopes (
    load_id    integer not null,
    department varchar
);

create table if not exists aliases (
    alias      varchar primary key,
    department varchar not null
);

-- Lines the organisation sets (issue 15): completion target, attainment pass line, as rates 0–1.
create table if not exists targets (
    target varchar primary key,        -- completion | attainment
    rate   double not null
);

-- task is stored uncompressed: the list's search reads every task text (issue 14), each its own sentence, which
-- DuckDB's string compression would make every search decompress first; the other texts repeat and stay compressed.
create table if not exists tasks (
    load_id integer not null, sheet varchar, row_no bigint,
    task varchar using compression uncompressed, department varchar, department_text varchar, helpers varchar,
    category varchar, item varchar, owner varchar,
    deadline date, deadline_text varchar, ongoing boolean default false,
    status varchar default 'not_started', status_text varchar, progress double,
    done_on date, done_on_text varchar, evidence varchar, note varchar,
    leader varchar
);

create table if not exists scores (
    load_id integer not null, sheet varchar, row_no bigint,
    class varchar, category varchar, item varchar, department varchar, department_text varchar,
    method varchar, max double, score double, reason varchar, bonus boolean default false,
    item_type varchar default 'item',  -- item | not_applicable | deduction | veto (WORKBOOKS.md §7)
    triggered boolean default false,   -- a veto whose cell says it happened
    score_text varchar, evidence varchar
);

create table if not exists issues (
    load_id integer not null, sheet varchar, row_no bigint,
    problem varchar, department varchar, department_text varchar,
    found_on date, found_on_text varchar, source varchar, measure varchar,
    deadline date, deadline_text varchar, ongoing boolean default false,
    status varchar default 'open', status_text varchar,
    closed_on date, closed_on_text varchar,
    owner varchar, leader varchar, recheck varchar, location varchar
);

create table if not exists activities (
    load_id integer not null, sheet varchar, row_no bigint,
    activity varchar, department varchar, department_text varchar,
    people double, date date, date_text varchar, type varchar,
    expected double, hours_each double, hours_total double
);

create table if not exists headcount (
    load_id integer not null, sheet varchar, row_no bigint,
    department varchar, department_text varchar, people double
);

create table if not exists surveys (
    load_id integer not null, sheet varchar, row_no bigint,
    department varchar, department_text varchar,
    awareness_rate double, participation_rate double, support_rate double, satisfaction_rate double,
    respondents double
);

-- Columns added by WORKBOOKS.md §7, for databases made before it.
alter table tasks add column if not exists leader varchar;
alter table scores add column if not exists item_type varchar default 'item';
alter table scores add column if not exists triggered boolean default false;
alter table scores add column if not exists score_text varchar;
alter table scores add column if not exists evidence varchar;
alter table issues add column if not exists owner varchar;
alter table issues add column if not exists leader varchar;
alter table issues add column if not exists recheck varchar;
alter table issues add column if not exists location varchar;

-- An organisation's own words (WORKBOOKS.md §8), taught once and applied to every later import:
-- a header read as a role, or a value read as a meaning (done, ongoing, a date, a number, ...).
create table if not exists words (
    kind       varchar not null,   -- header | value
    word       varchar not null,   -- as normalised for matching
    meaning    varchar not null,   -- a role (header), or a meaning (value)
    created_by varchar not null,
    created_at timestamp not null,
    primary key (kind, word)
);

-- A number every change of the figures bumps inside its own transaction, so a reader's snapshot
-- and the cache key of its figures always agree (see web.query).
create table if not exists data_version (
    version bigint not null
);
insert into data_version select 0 where not exists (select 1 from data_version);

-- Who may sign in, with which role and for which departments (wenming/auth.py).
create table if not exists users (
    user_name     varchar primary key,
    role          varchar not null,    -- leader | staff | admin
    departments   varchar[] not null,  -- the departments a staff user may import for
    email         varchar,             -- the identity a single sign-on (OIDC) provider vouches for
    password_hash varchar,             -- argon2id; NULL: single sign-on only
    enabled       boolean not null,
    created_at    timestamp not null,
    updated_at    timestamp not null
);

-- Every sign-in attempt, successful or not.
create table if not exists sign_ins (
    attempted_at timestamp not null,
    user_name    varchar not null,     -- as typed, or the identity's email
    success      boolean not null,
    reason       varchar not null,     -- ok | wrong_password | unknown_user | disabled | locked | busy | not_registered | unlocked
    method       varchar not null,     -- password | oidc | admin (an unlock)
    session_id   varchar               -- sha256 of the Streamlit session id, never the id itself
);
alter table sign_ins add column if not exists address varchar;  -- the client's address ('' on this machine)
-- databases from before the hashing kept the ids themselves: hash them once
update sign_ins set session_id = sha256(session_id) where session_id is not null and length(session_id) <> 64;

-- Administrative actions: users, aliases, restores, downloads of originals.
create table if not exists audit_log (
    happened_at timestamp not null,
    user_name   varchar not null,
    action      varchar not null,
    detail      json not null
);

-- Imports an admin voided (one dated wrongly, say): their loads count nowhere until un-voided;
-- the import stays in the history, and the audit log keeps every void and un-void.
create table if not exists import_voids (
    import_id integer primary key,
    voided_at timestamp not null,
    voided_by varchar not null
);

-- 佐证材料 (issue 16): files and links attached to a 测评内容, optionally naming the task or ledger
-- problem they support. A file is kept in the archive folder under its SHA-256, like an imported
-- original; a removal is marked here (who, when, why), never a deletion.
create sequence if not exists evidence_ids start 1;

create table if not exists evidence (
    evidence_id integer primary key,
    category    varchar,            -- 测评项目 of the scoring item
    item        varchar not null,   -- 测评内容
    department  varchar,            -- the department that supplied it
    title       varchar not null,
    dated       date,               -- the document's own date (a meeting's day), if given
    kind        varchar not null,   -- pdf | image | word | excel | powerpoint | link
    file_name   varchar,            -- as uploaded: shown and logged, never used as a path
    sha256      varchar,
    size_bytes  bigint,
    stored_as   varchar,            -- <sha256><suffix>, relative to the archive folder
    url         varchar,            -- kind = link: an http(s) address
    linked_to   varchar,            -- the task or ledger problem it supports, if any
    added_at    timestamp not null,
    added_by    varchar not null,
    removed_at  timestamp,
    removed_by  varchar,
    removed_why varchar
);

-- Status edits made in the app or by `python -m wenming update` (issue 16): an import of action
-- 'update' whose changes are listed here, row by row, old -> new (values as the history shows them).
create table if not exists import_changes (
    import_id integer not null,
    kind      varchar not null,       -- tasks | issues
    department varchar,
    sheet     varchar not null,
    row_no    bigint not null,
    label     varchar,                -- the task or problem, as written
    field     varchar not null,       -- status | progress | done_on | note | closed_on
    old       varchar,
    new       varchar
);
