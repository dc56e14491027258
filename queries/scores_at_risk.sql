-- One row per scoring item put at risk by overdue tasks on $as_of: a task links to items of the same 测评内容, else (no such item) to every item of its 测评项目.
with overdue as (
    select * from task_facts($as_of::date)
    where is_overdue
      and ($departments is null or list_contains($departments, department))
),
items as (
    select * from scores_at($as_of::date)
    where item_type = 'item'
),
by_item as (
    select i.load_id, i.row_no, o.task, o.department as task_department
    from items i join overdue o on o.item = i.item
),
by_category as (
    select i.load_id, i.row_no, o.task, o.department as task_department
    from overdue o
    join items i on i.category = o.category
    where o.item is null or o.item not in (select item from items where item is not null)
),
links as (
    select * from by_item
    union
    select * from by_category
),
final as (
    select
        i.class, i.category, i.item, i.max, i.score, i.bonus,
        count(distinct l.task) as overdue_tasks,
        string_agg(distinct l.task_department, '、' order by l.task_department) as task_departments
    from links l
    join items i on i.load_id = l.load_id and i.row_no = l.row_no
    group by all
)
select * from final
order by max desc, overdue_tasks desc, category, item
