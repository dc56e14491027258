-- One row: the task figures of WORKBOOKS.md §5 on $as_of (total, done, overdue, ongoing, due soon, completion rate).
with source as (
    select * from task_facts($as_of::date)
),
filtered as (
    select * from source
    where $departments is null or list_contains($departments, department)
),
final as (
    select
        count(*) as total,
        count(*) filter (where is_done) as done,
        count(*) filter (where state = 'in_progress') as in_progress,
        count(*) filter (where state = 'not_started') as not_started,
        count(*) filter (where ongoing) as ongoing,
        count(*) filter (where is_overdue) as overdue,
        count(*) filter (where is_due_soon) as due_soon,
        count(*) filter (where is_done) / nullif(count(*), 0) as completion_rate
    from filtered
)
select * from final
