-- One row: activities, person-times (Σ people), volunteer hours and attendance rate where expected counts are given.
with source as (
    select * from activity_facts($as_of::date)
),
filtered as (
    select * from source
    where $departments is null or list_contains($departments, department)
),
final as (
    select
        count(*) as activities,
        coalesce(sum(people), 0) as person_times,
        coalesce(sum(volunteer_hours), 0) as volunteer_hours,
        sum(people) filter (where expected > 0) / nullif(sum(expected) filter (where expected > 0), 0) as attendance_rate
    from filtered
)
select * from final
