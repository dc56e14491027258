"""导入记录: each department's last update, every import and restore; for administrators the original files and restores."""

import datetime as dt

import streamlit as st

from wenming import web
from wenming.render import safe
from wenming.text import t
from wenming.web import edits, signin
from wenming.web import history as history_ui

f, _ = web.page("page.history", ())
me = signin.current()
history_ui.restored_notice()
today = dt.date.today()  # the log is of now, not of the sidebar's date: so is each department's silence
history_ui.updated(web.query("departments_updated", f, as_of=today), today)
st.subheader(t("history.log"))
st.caption(t("history.intro"))
imports = history_ui.log()
web.table(imports, history_ui.LOG, key="history_log", trace=True)

chosen = history_ui.pick(imports)
if chosen is not None:
    import_id = int(chosen.name)
    st.markdown(f"**{t('history.sheets')}**{t('sep.label')}{safe.markdown(chosen['sheets'])}")
    history_ui.warnings(import_id)
    edits.changes(import_id)
    if me.is_admin:
        history_ui.download(import_id, me)
        history_ui.restore(import_id, me)
        history_ui.void(import_id, me)
    else:
        st.caption(t("history.read_only"))
