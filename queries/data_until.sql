-- One row: the latest reference date (截至) of the reports in force now, the date the data reports up to (NULL without data).
with in_force as (
    select load_id from live_keys('tasks', null)
    union all select load_id from live_keys('scores', null)
    union all select load_id from live_keys('issues', null)
    union all select load_id from live_keys('activities', null)
    union all select load_id from live_keys('headcount', null)
    union all select load_id from live_keys('surveys', null)
),
final as (
    select max(l.effective_on) as data_until
    from in_force
    join loads l using (load_id)
)
select * from final
