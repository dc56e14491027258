-- One row per department with activities or headcount: person-times and volunteer hours, in all and per head.
with activity as (
    select
        department,
        count(*) as activities,
        coalesce(sum(people), 0) as person_times,
        coalesce(sum(volunteer_hours), 0) as volunteer_hours,
        sum(people) filter (where expected > 0) / nullif(sum(expected) filter (where expected > 0), 0) as attendance_rate
    from activity_facts($as_of::date)
    group by department
),
heads as (
    select department, sum(people) as headcount
    from headcount_at($as_of::date)
    group by department
),
joined as (
    select
        coalesce(a.department, h.department) as department,
        coalesce(a.activities, 0) as activities,
        coalesce(a.person_times, 0) as person_times,
        coalesce(a.volunteer_hours, 0) as volunteer_hours,
        a.attendance_rate,
        h.headcount
    from activity a
    full join heads h on a.department is not distinct from h.department
),
filtered as (
    select * from joined
    where $departments is null or list_contains($departments, department)
),
final as (
    select
        *,
        person_times / nullif(headcount, 0) as person_times_per_head,
        volunteer_hours / nullif(headcount, 0) as volunteer_hours_per_head
    from filtered
)
select * from final
order by person_times_per_head desc nulls last, department
