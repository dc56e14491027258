-- One row per known department: its last update on or before $as_of (an uploaded tracker, or a status
-- edit saved in the app), by whom, how, the kinds of sheet it touched and the days since then; NULL for a
-- department not updated by then. An update is an import of action 'import' or 'update' whose day
-- (imported_at) is on or before $as_of; a restore is an administrator's, not the department's, and a
-- voided import never happened (counted_loads). A whole-organisation sheet (no department column:
-- loads.whole, its scope NULL) speaks for every department, so it updates every known one; rows
-- without a department in a department sheet update none. Known departments: those a sheet of an
-- import that counts names (whatever its date), the targets of aliases and the users' departments.
-- Longest silent first: never updated, then the oldest update.
with known as (
    select s.department
    from counted_loads() l
    join load_scopes s on s.load_id = l.load_id
    where s.department is not null
    union
    select department from aliases
    union
    select coalesce(a.department, u.department)
    from (select unnest(departments) as department from users) u
    left join aliases a on a.alias = u.department
),
filtered as (
    select department from known
    where $departments is null or list_contains($departments, department)
),
updates as (
    select l.load_id, l.kind, l.whole, i.import_id, i.imported_at, i.user_name, i.action, i.file_name
    from counted_loads() l
    join imports i on i.import_id = l.import_id
    where i.action in ('import', 'update') and i.imported_at::date <= $as_of::date
),
touched as (
    select s.department, u.*
    from updates u
    join load_scopes s on s.load_id = u.load_id
    where not u.whole and s.department is not null
    union all
    select f.department, u.*
    from updates u
    cross join filtered f
    where u.whole
),
latest as (
    select * from touched
    qualify dense_rank() over (partition by department order by imported_at desc, import_id desc) = 1
),
final as (
    select
        department, import_id, imported_at as updated_at, user_name, action, file_name,
        list_sort(list(distinct kind)) as kinds
    from latest
    group by all
)
select
    f.department, u.updated_at, u.user_name, u.action, u.file_name, u.kinds,
    $as_of::date - u.updated_at::date as days_since
from filtered f
left join final u on u.department = f.department
order by u.updated_at asc nulls first, f.department
