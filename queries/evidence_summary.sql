-- One row: the 测评内容 of the scoring sheet on $as_of, how many have 佐证材料, the coverage rate (佐证材料齐全率), files and links.
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
        count(*) as items,
        count(*) filter (where has_evidence) as with_evidence,
        count(*) filter (where has_evidence) / nullif(count(*), 0) as coverage,
        coalesce(sum(files), 0)::bigint as files,
        coalesce(sum(links), 0)::bigint as links
    from filtered
)
select * from final
