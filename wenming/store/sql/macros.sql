-- Table macros every query builds on, so each rule of WORKBOOKS.md §5 is written once.
-- snap: NULL for the current data, or a date for the data in force on that date
-- (before a kind's first snapshot, its earliest snapshot stands in, read through done_on).

-- One row per (department, load): the load whose rows are in force for that department.
create or replace macro live_keys(k, snap) as table
with kind_loads as (
    select * from loads where kind = k
),
cutoff as (
    select case
        when snap is null then null
        when exists (select 1 from kind_loads where effective_on <= snap) then snap
        else (select min(effective_on) from kind_loads)
    end as at
),
eligible as (
    select l.* from kind_loads l, cutoff where cutoff.at is null or l.effective_on <= cutoff.at
),
scope_keys as (
    select distinct s.department from load_scopes s join eligible e on e.load_id = s.load_id
),
candidates as (
    select k.department, e.load_id, e.effective_on
    from scope_keys k
    join load_scopes s on s.department is not distinct from k.department
    join eligible e on e.load_id = s.load_id
    union all
    select k.department, e.load_id, e.effective_on
    from scope_keys k cross join eligible e
    where e.whole
)
select department, load_id
from candidates
qualify row_number() over (partition by department order by effective_on desc, load_id desc) = 1;

-- The rows of kind k in force on snap, with the date of the report they come from.
create or replace macro rows_at(k, snap) as table
select t.*, l.effective_on
from query_table(k) t
join live_keys(k, snap) w on t.load_id = w.load_id and t.department is not distinct from w.department
join loads l on l.load_id = t.load_id;

create or replace macro tasks_at(snap) as table select * from rows_at('tasks', snap);
create or replace macro scores_at(snap) as table select * from rows_at('scores', snap);
create or replace macro issues_at(snap) as table select * from rows_at('issues', snap);
create or replace macro activities_at(snap) as table select * from rows_at('activities', snap);
create or replace macro headcount_at(snap) as table select * from rows_at('headcount', snap);
create or replace macro surveys_at(snap) as table select * from rows_at('surveys', snap);

-- Tasks with their state on as_of: done when the status says so and it was done by as_of.
-- "By as_of": its 完成日期; without one, the current data counts it done, while a past
-- snapshot counts it done only from the date of the report that says so.
create or replace macro task_facts(as_of, snap) as table
with source as (
    select *,
        status = 'done'
            and coalesce(done_on, case when snap is null then as_of else effective_on end) <= as_of as is_done
    from tasks_at(snap)
)
select *,
    not is_done and deadline is not null and deadline < as_of as is_overdue,
    not is_done and deadline is not null and deadline between as_of and as_of + 7 as is_due_soon,
    case when not is_done and deadline < as_of then as_of - deadline end as days_overdue,
    case
        when is_done then 'done'
        when ongoing then 'ongoing'
        when status in ('in_progress', 'done') then 'in_progress'
        else 'not_started'
    end as state
from source;

-- Ledger problems on as_of: found by then (督查时间, else as for tasks), struck off by then;
-- the follow-ups a monthly meeting assigned (督办事项) are problems of the ledger too.
create or replace macro issue_rows(snap) as table
select * from issues_at(snap)
union all by name
select
    followup_id as row_no, '例会督办' as sheet, problem, department, department as department_text,
    source, created_on as found_on, deadline, strftime(deadline, '%Y-%m-%d') as deadline_text,
    case when closed_on is null then 'open' else 'closed' end as status, closed_on,
    created_on as effective_on
from followups;

create or replace macro issue_facts(as_of, snap) as table
with source as (
    select *,
        status = 'closed'
            and coalesce(closed_on, case when snap is null then as_of else effective_on end) <= as_of as is_closed
    from issue_rows(snap)
    where coalesce(found_on, case when snap is null then as_of else effective_on end) <= as_of
)
select *,
    not is_closed and deadline is not null and deadline < as_of as is_overdue,
    case when not is_closed and deadline < as_of then as_of - deadline end as days_overdue
from source;

-- Activities held by as_of (活动日期; undated ones as for tasks), with their volunteer hours.
create or replace macro activity_facts(as_of, snap) as table
select *,
    coalesce(people * hours_each, hours_total) as volunteer_hours,
    date_trunc('month', coalesce(date, effective_on))::date as month
from activities_at(snap)
where coalesce(date, case when snap is null then as_of else effective_on end) <= as_of;
