-- One row per file or link of 佐证材料 in force on $as_of, in the order of the scoring sheet (测评项目, 测评内容), then by date.
with source as (
    select * from evidence_at($as_of::date)
),
items as (
    select category, item, min(class) as class, bool_or(bonus) as bonus, min(load_id) as first_load, min(row_no) as first_row
    from scores_at($as_of::date)
    group by all
),
filtered as (
    select * from source
    where $departments is null or list_contains($departments, department)
),
final as (
    select
        f.evidence_id, i.class, f.category, f.item, f.department, f.title, f.dated, f.kind,
        f.file_name, f.sha256, f.size_bytes, f.stored_as, f.url, f.linked_to, f.added_at, f.added_by,
        coalesce(i.bonus, false) as bonus, i.first_load, i.first_row
    from filtered f
    left join items i on i.category is not distinct from f.category and i.item = f.item
)
select * from final
order by bonus, first_load, first_row, category, item, dated nulls last, evidence_id
