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

create table if not exists tasks (
    load_id integer not null, sheet varchar, row_no bigint,
    task varchar, department varchar, department_text varchar, helpers varchar,
    category varchar, item varchar, owner varchar,
    deadline date, deadline_text varchar, ongoing boolean default false,
    status varchar default 'not_started', status_text varchar, progress double,
    done_on date, done_on_text varchar, evidence varchar, note varchar
);

create table if not exists scores (
    load_id integer not null, sheet varchar, row_no bigint,
    class varchar, category varchar, item varchar, department varchar, department_text varchar,
    method varchar, max double, score double, reason varchar, bonus boolean default false
);

create table if not exists issues (
    load_id integer not null, sheet varchar, row_no bigint,
    problem varchar, department varchar, department_text varchar,
    found_on date, found_on_text varchar, source varchar, measure varchar,
    deadline date, deadline_text varchar, ongoing boolean default false,
    status varchar default 'open', status_text varchar,
    closed_on date, closed_on_text varchar
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
    reason       varchar not null,     -- ok | wrong_password | unknown_user | disabled | locked | not_registered
    method       varchar not null,     -- password | oidc
    session_id   varchar
);

-- Administrative actions: users, aliases, restores, downloads of originals.
create table if not exists audit_log (
    happened_at timestamp not null,
    user_name   varchar not null,
    action      varchar not null,
    detail      json not null
);
