-- Table macros every query builds on, so each rule of WORKBOOKS.md §5 is written once.
-- The figures of a date D come from one path: rows_at(kind, D) says which rows are in force on D,
-- and task_facts / issue_facts / activity_facts(D) say what had happened by D. A query never
-- takes a second date, so a page, the trend, a review and `summary` cannot read D two ways.
-- D = NULL (rows_at only) means the data in force now, whatever its date: what an import replaces.

-- The loads that count: those of imports nobody voided (an admin voids a wrongly dated import).
create or replace macro counted_loads() as table
select l.* from loads l
where not exists (select 1 from import_voids v where v.import_id = l.import_id);

-- One row per (department, load): the load whose rows of kind k are in force for that department on d.
-- Per kind AND department: the latest report dated on or before d (a later date, then a later
-- import, wins); a department with no report by d is read from its earliest report (the first
-- import of the earliest date), through that report's own dates. So no report dated after d, not
-- even a correction of that earliest report, changes a figure of d, and a report of one
-- department never moves another department's figures.
create or replace macro live_keys(k, d) as table
with kind_loads as (
    select * from counted_loads() where kind = k
),
scope_keys as (
    select distinct s.department from load_scopes s join kind_loads l on l.load_id = s.load_id
),
candidates as (
    select k.department, l.load_id, l.import_id, l.effective_on
    from scope_keys k
    join load_scopes s on s.department is not distinct from k.department
    join kind_loads l on l.load_id = s.load_id
    union
    select k.department, l.load_id, l.import_id, l.effective_on
    from scope_keys k cross join kind_loads l
    where l.whole
),
dated as (
    select *, d is null or effective_on <= d as by_d from candidates
)
select department, load_id
from dated
qualify rank() over (  -- rank, not row_number: every sheet of the winning import counts (a ledger on two sheets)
    partition by department
    order by by_d desc,
        case when by_d then effective_on end desc,
        case when not by_d then effective_on end asc,
        case when by_d then import_id end desc,
        import_id asc
) = 1;

-- The rows of kind k in force on d, with the date of the report they come from.
create or replace macro rows_at(k, d) as table
select t.*, l.effective_on
from query_table(k) t
join live_keys(k, d) w on t.load_id = w.load_id and t.department is not distinct from w.department
join loads l on l.load_id = t.load_id;

create or replace macro tasks_at(d) as table select * from rows_at('tasks', d);
create or replace macro scores_at(d) as table select * from rows_at('scores', d);
create or replace macro issues_at(d) as table select * from rows_at('issues', d);
create or replace macro activities_at(d) as table select * from rows_at('activities', d);
create or replace macro headcount_at(d) as table select * from rows_at('headcount', d);
create or replace macro surveys_at(d) as table select * from rows_at('surveys', d);

-- Tasks with their state on d: done when the status says so and it was done by d, that is its
-- 完成日期 is on or before d; without one, from the date of the report that says it is done
-- (the report in force on d, or the earliest report standing in for an earlier d).
create or replace macro task_facts(d) as table
with source as (
    select *, status = 'done' and coalesce(done_on, effective_on) <= d as is_done
    from tasks_at(d)
)
select *,
    not is_done and deadline is not null and deadline < d as is_overdue,
    not is_done and deadline is not null and deadline between d and d + 7 as is_due_soon,
    case when not is_done and deadline < d then d - deadline end as days_overdue,
    case
        when is_done then 'done'
        when ongoing then 'ongoing'
        when status in ('in_progress', 'done') then 'in_progress'
        else 'not_started'
    end as state
from source;

-- Ledger problems on d: found by d (督查时间, else the report's date), struck off by d (销号时间,
-- else as for tasks); the follow-ups a monthly meeting assigned (督办事项) are problems of the ledger too.
create or replace macro issue_rows(d) as table
select * from issues_at(d)
union all by name
select
    followup_id as row_no, '例会督办' as sheet, problem, department, department as department_text,
    source, created_on as found_on, deadline, strftime(deadline, '%Y-%m-%d') as deadline_text,
    case when closed_on is null then 'open' else 'closed' end as status, closed_on,
    created_on as effective_on
from followups;

create or replace macro issue_facts(d) as table
with source as (
    select *, status = 'closed' and coalesce(closed_on, effective_on) <= d as is_closed
    from issue_rows(d)
    where coalesce(found_on, effective_on) <= d
)
select *,
    not is_closed and deadline is not null and deadline < d as is_overdue,
    case when not is_closed and deadline < d then d - deadline end as days_overdue
from source;

-- Activities held by d, each on its held_on day (活动日期, else the report's date), with their
-- volunteer hours and month: a count by month or within a period reads held_on, never 活动日期 alone.
create or replace macro activity_facts(d) as table
with source as (
    select *, coalesce(date, effective_on) as held_on from activities_at(d)
)
select *,
    coalesce(people * hours_each, hours_total) as volunteer_hours,
    date_trunc('month', held_on)::date as month
from source
where held_on <= d;

-- The task list of 任务推进 on d (issue 14): the tasks of task_facts(d) for the sidebar's departments,
-- narrowed to the departments and categories clicked in its charts ('' stands for a blank name),
-- the states picked and every word typed in its search box. NULL for any of them: no narrowing.
-- A word is found in the task, department, helpers, category, item, owner or note, as written.
create or replace macro task_holds(w, task, department, helpers, category, item, owner, note) as
coalesce(
    contains(task, w) or contains(department, w) or contains(helpers, w) or contains(category, w)
        or contains(item, w) or contains(owner, w) or contains(note, w),
    false
);

create or replace macro task_list(d, departments, picked, categories, states, words) as table
select * from task_facts(d)
where (departments is null or list_contains(departments, department))
  and (picked is null or list_contains(picked, coalesce(department, '')))
  and (categories is null or list_contains(categories, coalesce(category, '')))
  and (states is null or list_contains(states, state))
  -- every word typed is found: the first two as plain expressions, so each is checked only on the rows the one
  -- before it kept (a lambda over the list is evaluated row by row), any further ones through the lambda
  and (words is null or (
      (len(words) < 1 or task_holds(words[1], task, department, helpers, category, item, owner, note))
      and (len(words) < 2 or task_holds(words[2], task, department, helpers, category, item, owner, note))
      and (len(words) < 3 or list_bool_and(list_transform(words[3:], lambda w: task_holds(w, task, department, helpers, category, item, owner, note))))
  ));
