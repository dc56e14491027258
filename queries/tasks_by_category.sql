-- One row per category (测评项目) of the task list: tasks per state on $as_of and completion rate.
with source as (
    select * from task_facts($as_of::date)
),
filtered as (
    select * from source
    where $departments is null or list_contains($departments, department)
),
final as (
    select
        category,
        count(*) as total,
        count(*) filter (where state = 'done') as done,
        count(*) filter (where state = 'in_progress') as in_progress,
        count(*) filter (where state = 'not_started') as not_started,
        count(*) filter (where state = 'ongoing') as ongoing,
        count(*) filter (where is_overdue) as overdue,
        count(*) filter (where is_done) / count(*) as completion_rate,
        min((load_id::hugeint << 64) + row_no) as first_row  -- (load_id, row_no) in one number, same order
    from filtered
    group by category
)
select * exclude (first_row) from final
order by first_row
