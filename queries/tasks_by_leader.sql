-- One row per 责任领导 (leader) of the tasks: their task figures on $as_of; tasks without a leader are one row with the leader '' (never NULL: a column of text).
with source as (
    select * from task_facts($as_of::date)
),
filtered as (
    select * from source
    where $departments is null or list_contains($departments, department)
),
final as (
    select
        coalesce(leader, '') as leader,
        count(*) as total,
        count(*) filter (where is_done) as done,
        count(*) filter (where state = 'in_progress') as in_progress,
        count(*) filter (where state = 'not_started') as not_started,
        count(*) filter (where state = 'ongoing') as ongoing,
        count(*) filter (where is_overdue) as overdue,
        count(*) filter (where is_due_soon) as due_soon,
        count(*) filter (where is_done) / count(*) as completion_rate
    from filtered
    group by all
)
select * from final
order by leader = '', completion_rate desc, leader
