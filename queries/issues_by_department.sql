-- One row per department: its ledger problems on $as_of (total, closed, open, overdue, closing rate).
with source as (
    select * from issue_facts($as_of::date)
),
filtered as (
    select * from source
    where $departments is null or list_contains($departments, department)
),
final as (
    select
        department,
        count(*) as total,
        count(*) filter (where is_closed) as closed,
        count(*) filter (where not is_closed) as open,
        count(*) filter (where is_overdue) as overdue,
        count(*) filter (where is_closed) / count(*) as closing_rate
    from filtered
    group by department
)
select * from final
order by overdue desc, open desc, department
