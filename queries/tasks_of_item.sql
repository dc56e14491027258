-- One row per distinct task text of the 测评内容 $item in force on $as_of (for the sidebar's departments): what a file of 佐证材料 may support.
with source as (
    select task, department, sheet, row_no from task_facts($as_of::date)
    where item = $item and task is not null
      and ($departments is null or list_contains($departments, department))
),
final as (
    select task, min((department, sheet, row_no)) as first_row from source group by task
)
select task from final
order by first_row
