-- One row per ledger problem found (督查时间) from $start to $end: newly logged (挂账) in the period, with its state on $end.
with source as (
    select * from issue_facts($end::date)
),
filtered as (
    select * from source
    where found_on between $start::date and $end::date
      and ($departments is null or list_contains($departments, department))
),
final as (
    select problem, department, source, found_on, deadline, deadline_text, is_closed, closed_on, sheet, row_no
    from filtered
)
select * from final
order by found_on, department, sheet, row_no
