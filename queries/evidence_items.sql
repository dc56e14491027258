-- One row per 测评内容 (scoring item) on $as_of: its files and links, the departments that owe it evidence (its tasks' lead departments), those that supplied some, and those still missing.
with source as (
    select * from evidence_items($as_of::date)
),
filtered as (
    select * from source
    where $departments is null
       or list_has_any(owed, $departments)
       or list_contains($departments, scored_department)
),
final as (
    select
        class, category, item, bonus, files, links, has_evidence, first_load, first_row,
        array_to_string(owed, '、') as owed_by,
        coalesce(array_to_string(supplied, '、'), '') as supplied_by,
        array_to_string(missing, '、') as missing_from
    from filtered
)
select * from final
order by bonus, first_load, first_row
