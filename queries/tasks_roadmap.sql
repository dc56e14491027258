-- One row per lead department and month of deadline (路线图): tasks due that month, done, overdue on $as_of.
with source as (
    select * from task_facts($as_of::date)
),
filtered as (
    select * from source
    where deadline is not null
      and ($departments is null or list_contains($departments, department))
),
final as (
    select
        department,
        date_trunc('month', deadline)::date as month,
        count(*) as due,
        count(*) filter (where is_done) as done,
        count(*) filter (where is_overdue) as overdue
    from filtered
    group by department, month
)
select * from final
order by month, department
