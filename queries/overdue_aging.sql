-- One row per department and aging bucket (1–7, 8–30, 31–90, >90 days) of its tasks overdue on $as_of.
with source as (
    select * from task_facts($as_of::date)
),
filtered as (
    select * from source
    where is_overdue
      and ($departments is null or list_contains($departments, department))
),
bucketed as (
    select
        department,
        case
            when days_overdue <= 7 then '1-7'
            when days_overdue <= 30 then '8-30'
            when days_overdue <= 90 then '31-90'
            else '>90'
        end as bucket
    from filtered
),
final as (
    select department, bucket, count(*) as tasks
    from bucketed
    group by department, bucket
)
select * from final
order by department, bucket
