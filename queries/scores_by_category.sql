-- One row per category (测评项目) of the evaluation system, with its class: points of scored items, attainment, points lost.
with source as (
    select * from scores_at($as_of::date)
),
filtered as (
    select * from source
    where item_type = 'item'
      and ($departments is null or list_contains($departments, department))
),
final as (
    select
        category,
        min(class) as class,
        bool_or(bonus) as bonus,
        coalesce(sum(max) filter (where score is not null), 0) as max,
        coalesce(sum(score), 0) as score,
        sum(score) / nullif(sum(max) filter (where score is not null), 0) as attainment,
        coalesce(sum(max - score), 0) as lost,
        count(*) filter (where score is null) as unscored,
        count(*) as items
    from filtered
    group by category
)
select * from final
order by bonus, lost desc, class, category
