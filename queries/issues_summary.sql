-- One row: the issue ledger on $as_of (total, closed/销号, open, overdue, closing rate).
with source as (
    select * from issue_facts($as_of::date)
),
filtered as (
    select * from source
    where $departments is null or list_contains($departments, department)
),
final as (
    select
        count(*) as total,
        count(*) filter (where is_closed) as closed,
        count(*) filter (where not is_closed) as open,
        count(*) filter (where is_overdue) as overdue,
        count(*) filter (where is_closed) / nullif(count(*), 0) as closing_rate
    from filtered
)
select * from final
