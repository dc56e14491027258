-- One row per kind and department: the rows in force now, which a new import of the same scope would replace
-- (the upload asks before a file replaces them with far fewer, see docs/RULES.md).
select 'tasks' as kind, department, count(*) as rows from tasks_at(null) group by all
union all select 'scores', department, count(*) from scores_at(null) group by all
union all select 'issues', department, count(*) from issues_at(null) group by all
union all select 'activities', department, count(*) from activities_at(null) group by all
union all select 'headcount', department, count(*) from headcount_at(null) group by all
union all select 'surveys', department, count(*) from surveys_at(null) group by all
order by kind, department
