-- One row per kind, department and import whose rows are in force on $as_of (NULL: now): which file, imported by
-- whom and when, as of which date; the reports a page's figures of $as_of are read from. department is NULL for a
-- sheet without a department column (it speaks for the whole kind).
with live as (
    select distinct 'tasks' as kind, load_id, department from tasks_at($as_of::date)
    union all select distinct 'scores', load_id, department from scores_at($as_of::date)
    union all select distinct 'issues', load_id, department from issues_at($as_of::date)
    union all select distinct 'activities', load_id, department from activities_at($as_of::date)
    union all select distinct 'headcount', load_id, department from headcount_at($as_of::date)
    union all select distinct 'surveys', load_id, department from surveys_at($as_of::date)
),
final as (
    select
        live.kind,
        case when l.whole then null else live.department end as department,
        l.whole,
        l.effective_on,
        i.import_id,
        i.file_name,
        i.user_name,
        i.imported_at,
        i.action
    from live
    join loads l on l.load_id = live.load_id
    join imports i on i.import_id = l.import_id
)
select distinct * from final
order by kind, imported_at desc, department
