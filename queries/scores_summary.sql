-- One row: base points of scored items (max, score, attainment, lost), the system's full points, bonus points, unscored items.
with source as (
    select * from scores_at($snapshot::date)
),
filtered as (
    select * from source
    where $departments is null or list_contains($departments, department)
),
final as (
    select
        coalesce(sum(max) filter (where not bonus and score is not null), 0) as max,
        coalesce(sum(score) filter (where not bonus), 0) as score,
        sum(score) filter (where not bonus) / nullif(sum(max) filter (where not bonus and score is not null), 0) as attainment,
        coalesce(sum(max - score) filter (where not bonus), 0) as lost,
        coalesce(sum(max) filter (where not bonus), 0) as full_max,
        coalesce(sum(max) filter (where bonus and score is not null), 0) as bonus_max,
        coalesce(sum(max) filter (where bonus), 0) as bonus_full_max,
        coalesce(sum(score) filter (where bonus), 0) as bonus_score,
        count(*) filter (where score is null) as unscored,
        count(*) as items
    from filtered
)
select * from final
