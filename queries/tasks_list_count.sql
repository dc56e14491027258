-- One row: how many tasks the 任务推进 list holds on $as_of with its filters (shown), of all the tasks of the sidebar's departments (total).
with shown as (
    select count(*) as shown from task_list($as_of::date, $departments, $picked, $categories, $states, $words)
),
everything as (
    select count(*) as total from task_list($as_of::date, $departments, null, null, null, null)
),
final as (
    select shown.shown, everything.total from shown cross join everything
)
select * from final
