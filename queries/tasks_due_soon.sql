-- One row per task due within 7 days of $as_of (due date from $as_of to $as_of + 7) and not done, the nearest first.
with source as (
    select * from task_facts($as_of::date)
),
filtered as (
    select * from source
    where is_due_soon
      and ($departments is null or list_contains($departments, department))
),
final as (
    select task, department, owner, category, deadline, deadline_text, deadline - $as_of::date as days_left, state, sheet, row_no
    from filtered
)
select * from final
order by deadline, department, sheet, row_no
