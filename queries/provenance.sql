-- One row per imported sheet whose rows are in force: which file, imported by whom and when, as of which date.
with live as (
    select distinct 'tasks' as kind, load_id from tasks_at(null)
    union all select distinct 'scores', load_id from scores_at(null)
    union all select distinct 'issues', load_id from issues_at(null)
    union all select distinct 'activities', load_id from activities_at(null)
    union all select distinct 'headcount', load_id from headcount_at(null)
    union all select distinct 'surveys', load_id from surveys_at(null)
),
final as (
    select
        l.kind,
        l.sheet,
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
select * from final
order by kind, imported_at desc
