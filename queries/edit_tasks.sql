-- One row per task in force now of the departments $departments, with what the 任务推进 page lets staff edit (status, progress, 完成日期, note) and its row in the tracker.
with source as (
    select * from tasks_at(null::date)
),
filtered as (
    select * from source
    where list_contains($departments, department)
),
final as (
    select department, sheet, row_no, task, deadline_text, status, progress, done_on, note
    from filtered
)
select * from final
order by department, sheet, row_no
