-- One row: base points of scored items (max, score, attainment, lost), the system's full points, bonus points, unscored and not-applicable items, deductions, vetoes and the total (score + bonus + deductions).
with source as (
    select * from scores_at($as_of::date)
),
filtered as (
    select * from source
    where $departments is null or list_contains($departments, department)
),
items as (
    select * from filtered where item_type = 'item'
),
scored as (
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
    from items
),
others as (
    select
        count(*) filter (where item_type = 'not_applicable') as not_applicable,
        coalesce(sum(score) filter (where item_type = 'deduction'), 0) as deductions,
        count(*) filter (where item_type = 'deduction') as deduction_items,
        count(*) filter (where item_type = 'veto') as veto_items,
        count(*) filter (where item_type = 'veto' and triggered) as veto_triggered
    from filtered
),
final as (
    select scored.*, others.*, scored.score + scored.bonus_score + others.deductions as total
    from scored, others
)
select * from final
