-- One row per ledger problem struck off (销号时间) from $start to $end.
with source as (
    select * from issue_facts($end::date)
),
filtered as (
    select * from source
    where is_closed
      and closed_on between $start::date and $end::date
      and ($departments is null or list_contains($departments, department))
),
final as (
    select problem, department, source, found_on, closed_on, sheet, row_no
    from filtered
)
select * from final
order by closed_on, department, sheet, row_no
