-- One row per department name in the current data that matches nothing known: it is neither on the
-- headcount sheet nor the target of an alias. Often a misspelling (五阳矿) that an alias can map.
with named as (
    select department, 'tasks' as kind from tasks_at(null)
    union all select department, 'scores' from scores_at(null)
    union all select department, 'issues' from issues_at(null)
    union all select department, 'activities' from activities_at(null)
    union all select department, 'surveys' from surveys_at(null)
),
known as (
    select department from headcount_at(null)
    union select department from aliases
),
final as (
    select department, string_agg(distinct kind, ',' order by kind) as kinds, count(*) as row_count
    from named
    where department is not null and department not in (select department from known where department is not null)
    group by department
)
select * from final
order by row_count desc, department
