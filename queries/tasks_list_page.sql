-- One row per task on one page of the 任务推进 list on $as_of: the list's filters (task_list), $limit rows from $offset, in the order $order (deadline | overdue | progress; anything else: department, sheet, row).
with source as (  -- the narrow columns first: sorting a million tasks moves only these
    select
        load_id, row_no, department, sheet, deadline, state, progress, done_on, days_overdue,
        case when $order = 'deadline' then deadline end as by_deadline,
        case when $order = 'overdue' then days_overdue end as by_overdue,
        case when $order = 'progress' then coalesce(progress, 0) end as by_progress
    from task_list($as_of::date, $departments, $picked, $categories, $states, $words)
),
paged as (
    select * from source
    order by by_deadline asc nulls last, by_overdue desc nulls last, by_progress asc nulls last, department, sheet, row_no
    limit $limit offset $offset
),
final as (  -- then the text of the page's rows only
    select
        t.task, p.department, t.helpers, t.category, t.item, t.owner,
        p.deadline, t.deadline_text, p.state, t.status_text, p.progress, p.done_on,
        p.days_overdue, t.note, p.sheet, p.row_no,
        p.by_deadline, p.by_overdue, p.by_progress
    from paged p
    join tasks t on t.load_id = p.load_id and t.row_no = p.row_no
)
select * exclude (by_deadline, by_overdue, by_progress) from final
order by by_deadline asc nulls last, by_overdue desc nulls last, by_progress asc nulls last, department, sheet, row_no
