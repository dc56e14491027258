-- One row per item (测评内容) of the self-assessment, the most points lost first (对标找差); unscored items last.
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
        class, category, item, department, method,
        max, score, max - score as lost,
        score is null as unscored,
        bonus, reason, sheet, row_no
    from filtered
)
select * from final
order by unscored, lost desc, sheet, row_no
