-- One row per ledger problem in force now of the departments $departments, with what the 逾期督办 page lets staff edit (整改情况, 销号时间) and its row in the ledger.
with source as (
    select * from issues_at(null::date)
),
filtered as (
    select * from source
    where list_contains($departments, department)
),
final as (
    select department, sheet, row_no, problem, deadline_text, status, closed_on
    from filtered
)
select * from final
order by department, sheet, row_no
