-- One row per department in current data, in the organisation's own order: the headcount sheet's row order, then first appearance in the task list.
with named as (
    select department, 0 as source_rank, load_id, row_no from headcount_at(null)
    union all
    select department, 1, load_id, row_no from tasks_at(null)
    union all
    select department, 2, load_id, row_no from issues_at(null)
    union all
    select department, 3, load_id, row_no from activities_at(null)
    union all
    select department, 4, load_id, row_no from scores_at(null)
    union all
    select department, 5, load_id, row_no from surveys_at(null)
),
filtered as (
    select * from named where department is not null
),
final as (
    -- (source_rank, load_id, row_no) packed into one number: the same order, without a struct per row
    select department, min((source_rank::hugeint << 96) + (load_id::hugeint << 64) + row_no) as first_seen
    from filtered
    group by department
)
select department from final
order by first_seen
