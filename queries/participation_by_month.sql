-- One row per month and activity type: activities held and person-times (Σ people).
with source as (
    select * from activity_facts($as_of::date)
),
filtered as (
    select * from source
    where $departments is null or list_contains($departments, department)
),
final as (
    select
        month,
        type,
        count(*) as activities,
        coalesce(sum(people), 0) as person_times,
        coalesce(sum(volunteer_hours), 0) as volunteer_hours
    from filtered
    group by month, type
)
select * from final
order by month, type
