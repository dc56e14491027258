-- One row per responsible department: base points of its scored items, attainment, points lost.
with source as (
    select * from scores_at($as_of::date)
),
filtered as (
    select * from source
    where not bonus and item_type = 'item'
      and ($departments is null or list_contains($departments, department))
),
final as (
    select
        department,
        coalesce(sum(max) filter (where score is not null), 0) as max,
        coalesce(sum(score), 0) as score,
        sum(score) / nullif(sum(max) filter (where score is not null), 0) as attainment,
        coalesce(sum(max - score), 0) as lost,
        count(*) filter (where score is null) as unscored
    from filtered
    group by department
)
select * from final
order by lost desc, department
