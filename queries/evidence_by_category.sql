-- One row per 测评项目 on $as_of: its 测评内容, how many have 佐证材料, the coverage rate, files and links.
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
        category,
        min(class) as class,
        bool_or(bonus) as bonus,
        min(first_load) as first_load,
        min(first_row) as first_row,
        count(*) as items,
        count(*) filter (where has_evidence) as with_evidence,
        count(*) filter (where has_evidence) / count(*) as coverage,
        sum(files)::bigint as files,
        sum(links)::bigint as links
    from filtered
    group by category
)
select * from final
order by bonus, first_load, first_row
