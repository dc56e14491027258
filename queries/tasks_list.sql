-- One row per task in force, with its state on $as_of (done / in progress / not started / ongoing), overdue days and where it was read.
with source as (
    select * from task_facts($as_of::date)
),
filtered as (
    select * from source
    where $departments is null or list_contains($departments, department)
),
final as (
    select
        task, department, helpers, category, item, owner,
        deadline, deadline_text, state, status_text, progress, done_on,
        is_overdue, is_due_soon, days_overdue, evidence, note,
        sheet, row_no
    from filtered
)
select * from final
order by department, sheet, row_no
