-- One row per department with activities held (活动日期, else the report's date) from $start to $end: activities, person-times, volunteer hours.
with source as (
    select * from activity_facts($end::date)
),
filtered as (
    select * from source
    where held_on between $start::date and $end::date
      and ($departments is null or list_contains($departments, department))
),
final as (
    select
        department,
        count(*) as activities,
        coalesce(sum(people), 0) as person_times,
        coalesce(sum(volunteer_hours), 0) as volunteer_hours
    from filtered
    group by department
)
select * from final
order by person_times desc, department
