-- One row per task overdue on $as_of, the $limit longest overdue only (the overview's short list).
with source as (
    select * from task_facts($as_of::date)
),
filtered as (
    select * from source
    where is_overdue
      and ($departments is null or list_contains($departments, department))
),
final as (
    select task, department, owner, category, deadline, deadline_text, days_overdue, state, status_text, sheet, row_no
    from filtered
    order by days_overdue desc, department, sheet, row_no
    limit $limit
)
select * from final
