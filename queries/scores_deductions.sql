-- One row per deduction item (减分项 / 负面清单), the most points off first: its points (0 or below).
with source as (
    select * from scores_at($as_of::date)
),
filtered as (
    select * from source
    where item_type = 'deduction'
      and ($departments is null or list_contains($departments, department))
),
final as (
    select class, category, item, department, score as points, score_text, reason, sheet, row_no
    from filtered
)
select * from final
order by points, sheet, row_no
