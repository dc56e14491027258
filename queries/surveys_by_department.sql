-- One row per department: survey rates as given (知晓率、参与率、支持率、满意度, fractions) and respondents.
with source as (
    select * from surveys_at($as_of::date)
),
filtered as (
    select * from source
    where $departments is null or list_contains($departments, department)
),
final as (
    select
        department,
        -- several rows for one department are weighted by their respondents where given
        coalesce(sum(awareness_rate * respondents) / nullif(sum(respondents) filter (where awareness_rate is not null), 0), avg(awareness_rate)) as awareness_rate,
        coalesce(sum(participation_rate * respondents) / nullif(sum(respondents) filter (where participation_rate is not null), 0), avg(participation_rate)) as participation_rate,
        coalesce(sum(support_rate * respondents) / nullif(sum(respondents) filter (where support_rate is not null), 0), avg(support_rate)) as support_rate,
        coalesce(sum(satisfaction_rate * respondents) / nullif(sum(respondents) filter (where satisfaction_rate is not null), 0), avg(satisfaction_rate)) as satisfaction_rate,
        sum(respondents) as respondents
    from filtered
    group by department
)
select * from final
order by department
