-- One row per ledger problem (挂账) on $as_of: open or struck off (销号), overdue days, where it was read.
with source as (
    select * from issue_facts($as_of::date)
),
filtered as (
    select * from source
    where $departments is null or list_contains($departments, department)
),
final as (
    select
        problem, department, source, found_on, measure,
        deadline, deadline_text, is_closed, status_text, closed_on,
        is_overdue, days_overdue, sheet, row_no
    from filtered
)
select * from final
order by is_closed, days_overdue desc nulls last, department, sheet, row_no
