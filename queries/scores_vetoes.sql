-- One row per veto item (一票否决), triggered first: what its cell says and whether it happened.
with source as (
    select * from scores_at($as_of::date)
),
filtered as (
    select * from source
    where item_type = 'veto'
      and ($departments is null or list_contains($departments, department))
),
final as (
    select class, category, item, department, triggered, score_text, reason, sheet, row_no
    from filtered
)
select * from final
order by triggered desc, sheet, row_no
