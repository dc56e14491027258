-- One row per department with overdue tasks or overdue ledger problems on $as_of, ranked for the 通报 (most overdue first).
with tasks as (
    select department, count(*) as overdue_tasks, max(days_overdue) as max_days_overdue
    from task_facts($as_of::date)
    where is_overdue
    group by department
),
problems as (
    select department, count(*) as overdue_issues
    from issue_facts($as_of::date)
    where is_overdue
    group by department
),
joined as (
    select
        coalesce(t.department, p.department) as department,
        coalesce(t.overdue_tasks, 0) as overdue_tasks,
        t.max_days_overdue,
        coalesce(p.overdue_issues, 0) as overdue_issues
    from tasks t
    full join problems p on t.department is not distinct from p.department
),
filtered as (
    select * from joined
    where $departments is null or list_contains($departments, department)
),
final as (
    select
        rank() over (order by overdue_tasks + overdue_issues desc, max_days_overdue desc nulls last) as rank,
        *
    from filtered
)
select * from final
order by rank, department
