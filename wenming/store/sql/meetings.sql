-- What a 月例会 leaves behind: reviews frozen as presented, and the follow-ups (督办事项) it assigned.

create sequence if not exists review_ids start 1;
create sequence if not exists followup_ids start 1;

create table if not exists reviews (
    review_id   integer primary key,
    period      varchar not null,     -- 2026-10 or 2026-Q3
    as_of       date not null,
    frozen_at   timestamp not null,
    frozen_by   varchar not null,
    imports     json not null,        -- the imports in force when it was frozen
    content     json not null         -- every table of the review, as presented
);

-- A follow-up is a ledger problem of its own: open until struck off here, overdue after its deadline.
create table if not exists followups (
    followup_id integer primary key,
    period      varchar not null,     -- the meeting that assigned it
    created_on  date not null,
    created_by  varchar not null,
    problem     varchar not null,
    department  varchar not null,
    source      varchar not null,     -- as the ledger shows it: 例会督办（2026年10月）
    deadline    date,
    closed_on   date,
    closed_by   varchar
);
