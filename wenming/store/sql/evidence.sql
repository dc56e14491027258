-- 佐证材料 on a date D, per 测评内容 (issue 16). Evidence is not a report with a 截至: the files
-- kept now are what the inspection will see. A file or link counts at D when its own date (the
-- meeting's day, say) is on or before D, or it has none; a removed one never counts. The items
-- that need evidence are those of the scoring sheet in force at D (WORKBOOKS.md §5).

create or replace macro evidence_at(d) as table
select * from evidence
where coalesce(dated, d) <= d and removed_at is null;

-- One row per 测评内容 of the scoring sheet in force on d: the departments that owe it evidence
-- (the lead departments of its tasks, linked as for points at risk: by 测评内容, else by 测评项目)
-- and the files and links attached by as_of.
create or replace macro evidence_items(d) as table
with items as (
    select category, item, min(class) as class, bool_or(bonus) as bonus, min(department) as scored_department,
        min(load_id) as first_load, min(row_no) as first_row  -- the scoring sheet's order
    from scores_at(d)
    where item is not null
    group by category, item
),
task_rows as (
    select department, category, item from tasks_at(d) where department is not null
),
owed as (
    select i.category, i.item, t.department
    from items i join task_rows t on t.item = i.item
    union
    select i.category, i.item, t.department
    from task_rows t join items i on i.category = t.category
    where t.item is null or t.item not in (select item from items)
),
attached as (
    select * from evidence_at(d)
),
counted as (
    select
        i.category, i.item,
        count(a.evidence_id) filter (where a.kind <> 'link') as files,
        count(a.evidence_id) filter (where a.kind = 'link') as links,
        list_sort(list(distinct a.department) filter (where a.department is not null)) as supplied
    from items i
    left join attached a on a.item = i.item and a.category is not distinct from i.category
    group by all
),
owing as (
    select category, item, list_sort(list(distinct department)) as owed
    from owed
    group by all
)
select
    i.class, i.category, i.item, i.bonus, i.scored_department, i.first_load, i.first_row,
    c.files, c.links, c.files + c.links > 0 as has_evidence,
    coalesce(o.owed, []) as owed,
    c.supplied,
    list_filter(coalesce(o.owed, []), lambda d: not list_contains(coalesce(c.supplied, []), d)) as missing
from items i
join counted c on c.category is not distinct from i.category and c.item = i.item
left join owing o on o.category is not distinct from i.category and o.item = i.item;
