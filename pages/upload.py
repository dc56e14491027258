"""数据导入: upload trackers, preview what was recognised, confirm the import; the history and the templates."""

import streamlit as st

from wenming import web
from wenming.render import safe
from wenming.text import t
from wenming.web import signin, uploads
from wenming.web import words as words_ui

HISTORY = ["import_id", "imported_at", "user_name", "action", "file_name", "rows", "warning_count", "sha256"]

web.page("page.upload", (), need="import")
st.markdown(t("upload.intro"))
me = signin.current()
if me.local:  # no users configured: the importer writes their name
    user = st.text_input(t("upload.user"), key="upload_user", placeholder=t("upload.user_hint"))
else:
    user = me.name
    allowed = t("upload.all_departments") if me.is_admin else "、".join(me.departments)
    st.caption(safe.say("upload.as_user", name=me.name, departments=allowed))
round_ = st.session_state.setdefault("upload_round", 0)
files = st.file_uploader(t("upload.files"), accept_multiple_files=True, key=f"upload_files_{round_}")

words_ui.taught_notice()
previews = uploads.previews(files or [])
accepted: set[str] = set()
for item in previews:
    if item.refused:
        st.error(safe.markdown(item.refused), icon=":material/block:")
        continue
    st.markdown(safe.say("upload.recognised", file=item.file_name))
    web.table(item.sheets(), ["sheet", "kind", "rows", "header_row", "ref_date", "scope"])
    for line in item.undated():
        st.caption(line)
    if risks := item.risks():
        lines = [safe.say("upload.risky", file=item.file_name), *(f"- {safe.markdown(r)}" for r in risks)]
        st.warning("\n".join(lines), icon=":material/gpp_maybe:")
    with st.expander(t("upload.headers")):
        web.table(item.headers(), ["sheet", "column", "header", "role"])
    if item.parsed.warnings:
        with st.expander(t("upload.warnings", count=len(item.parsed.warnings))):
            web.table(item.warnings(), ["cell", "header", "count", "message"])
    if item.fewer:
        st.warning(
            "\n".join(
                [
                    safe.say("upload.fewer", file=item.file_name),
                    *(f"- {safe.markdown(f.describe())}" for f in item.fewer),
                ]
            ),
            icon=":material/warning:",
        )
        if st.checkbox(safe.say("upload.accept_fewer", file=item.file_name), key=f"fewer_{round_}_{item.file_name}"):
            accepted.add(item.file_name)

ready = [item for item in previews if item.parsed and (not item.fewer or item.file_name in accepted)]
if ready:
    if not user.strip():
        st.warning(t("upload.need_user"))
    if st.button(t("upload.confirm", count=len(ready)), type="primary", disabled=not user.strip()):
        st.session_state["upload_results"] = uploads.import_all(ready, me if not me.local else user.strip(), accepted)
        st.session_state["upload_round"] = round_ + 1
        st.rerun()
for imported, line in st.session_state.get("upload_results", []):
    if imported:
        st.success(safe.markdown(line), icon=":material/check_circle:")
    else:
        st.error(safe.markdown(line), icon=":material/error:")
for number, item in enumerate(previews):  # a header or value no rule reads: teach it, preview again
    words_ui.offer(item, user, f"{round_}_{number}")

st.subheader(t("upload.history"))
web.table(web.query("imports_log"), HISTORY, key="upload_history")

st.subheader(t("upload.templates"))
st.caption(t("upload.templates_formats"))
for column, (label, template) in zip(st.columns(3) * 2, web.templates(), strict=False):
    column.download_button(
        label,
        template.read_bytes(),
        template.name,
        icon=":material/description:",
        key=f"template_{template.stem}",
    )
