"""佐证材料: per 测评项目 and 测评内容, the files and links collected, who still owes evidence, coverage; the bundle."""

import streamlit as st

from wenming import web
from wenming.render import evidence as drawn
from wenming.text import t
from wenming.web import evidence, signin

ITEM_COLUMNS = ["category", "item", "files", "links", "owed_by", "supplied_by", "missing_from"]

f, present = web.page("page.evidence", ("scores", "tasks"))
if "scores" not in present:
    web.empty("scores")
    st.stop()
evidence.notice()

totals = web.query("evidence_summary", f).iloc[0]
cards = [
    ("evidence.items", f"{int(totals['items']):,}"),
    ("evidence.with_evidence", f"{int(totals['with_evidence']):,}"),
    ("evidence.coverage", "—" if totals["coverage"] != totals["coverage"] else f"{totals['coverage']:.1%}"),
    ("evidence.files", f"{int(totals['files']):,}"),
    ("evidence.links", f"{int(totals['links']):,}"),
]
for column, (key, value) in zip(st.columns(len(cards)), cards, strict=True):
    column.metric(t(key), value, border=True, help=t(f"{key}.help"))

web.plot(drawn.coverage(web.query("evidence_by_category", f)), "evidence_coverage")

items = web.query("evidence_items", f)
st.subheader(t("evidence.items_table"))
only_missing = st.toggle(t("evidence.only_missing"), key="evidence_only_missing")
web.table(evidence.missing(items) if only_missing else items, ITEM_COLUMNS, key="evidence_items")
left, right = st.columns(2)
with left:
    web.download(
        t("evidence.download_items"),
        {t("page.evidence"): (items, ITEM_COLUMNS)},
        f"佐证材料清单_{f.as_of}.xlsx",
        "evidence_items_download",
    )
with right:
    evidence.bundle_download(f)

st.subheader(t("evidence.item_files"))
evidence.item_section(f, items, signin.current())
