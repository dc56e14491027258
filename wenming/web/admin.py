"""The admin page's work: users and roles, department aliases with a report of unknown names, the logs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wenming import web
from wenming.render import audit, safe
from wenming.store import auth, db
from wenming.text import t

USERS = ["account", "role", "departments", "email", "enabled", "has_password", "created_at", "last_sign_in"]
SIGN_INS = ["attempted_at", "account", "success", "outcome", "via", "address"]
LOCKS = ["user_name", "address", "locked_until"]
AUDIT = ["happened_at", "operator", "sentence"]
DONE = "_admin_done"  # session state: the sentence of the last change, shown after the rerun


def notice() -> None:
    done = st.session_state.pop(DONE, None)
    if done:
        st.success(done, icon=":material/check_circle:")


def _done(sentence: str) -> None:
    st.session_state[DONE] = sentence
    st.rerun()


def _role(role: str) -> str:
    return t("sep.coded", word=t(f"role.{role}"), code=role)


def files_warning() -> None:
    """A warning while the database's files can be read by other users of the server."""
    store = web.store()
    found = db.exposed(store.path)
    if found:
        st.warning(safe.markdown(db.exposed_message(store.path, found)), icon=":material/lock_open:")


def users(me: auth.User) -> None:
    """The users table, a form to add one and a form to change one."""
    store = web.store()
    st.subheader(t("admin.users"))
    listed = auth.users(store)
    if listed.empty:
        st.info(t("admin.first_user"))
    else:
        listed["role"] = listed["role"].map(_role)
        web.table(listed.rename(columns={"user_name": "account"}), USERS, key="admin_users")
    known = web.department_order()
    with st.expander(t("admin.add_user"), expanded=listed.empty), st.form("admin_add", clear_on_submit=True):
        name = st.text_input(t("admin.name"))
        role = st.selectbox(
            t("admin.role"),
            auth.ROLES,
            index=2 if listed.empty else 0,
            format_func=_role,
            placeholder=t("widget.choose"),
        )
        departments = st.multiselect(
            t("admin.departments"), known, accept_new_options=True, placeholder=t("widget.choose_or_add")
        )
        email = st.text_input(t("admin.email"))
        password = st.text_input(t("admin.password"), type="password")
        if st.form_submit_button(t("admin.save"), type="primary"):
            try:
                auth.add_user(
                    store, name, role, departments, password=password or None, email=email or None, by=me.name
                )
            except auth.UserError as error:
                st.error(safe.markdown(error.message()))
            else:
                _done(safe.say("admin.added", name=name.strip(), role=t(f"role.{role}")))
    if not listed.empty:
        _edit(store, me, listed["user_name"].tolist(), known)


def _edit(store: web.Store, me: auth.User, names: list[str], known: list[str]) -> None:
    with st.expander(t("admin.edit_user")):
        name = st.selectbox(t("admin.name"), names, key="admin_edit_name", placeholder=t("widget.choose"))
        user = auth.find(store, name)
        if user is None:
            return
        with st.form(f"admin_edit_{name}"):
            role = st.selectbox(
                t("admin.role"),
                auth.ROLES,
                index=auth.ROLES.index(user.role),
                format_func=_role,
                placeholder=t("widget.choose"),
            )
            options = list(dict.fromkeys([*known, *user.departments]))
            departments = st.multiselect(
                t("admin.departments"),
                options,
                default=list(user.departments),
                accept_new_options=True,
                placeholder=t("widget.choose_or_add"),
            )
            email = st.text_input(t("admin.email"), value=user.email or "")
            enabled = st.checkbox(t("admin.enabled"), value=user.enabled)
            password = st.text_input(t("admin.new_password"), type="password")
            if st.form_submit_button(t("admin.save"), type="primary"):
                try:
                    auth.update_user(
                        store, name, by=me.name, role=role, departments=departments, email=email, enabled=enabled
                    )
                    if password:
                        auth.set_password(store, name, password, by=me.name)
                except auth.UserError as error:
                    st.error(safe.markdown(error.message()))
                else:
                    _done(safe.say("admin.saved", name=name))


def aliases(me: auth.User) -> None:
    """The alias table, forms to add or delete one, and the names in the data that match nothing known."""
    store = web.store()
    st.subheader(t("admin.aliases"))
    st.caption(t("admin.aliases_help"))
    current = store.aliases()
    if current:
        frame = pd.DataFrame({"alias": list(current), "department": list(current.values())})
        web.table(frame, ["alias", "department"], key="admin_aliases")
    left, right = st.columns(2)
    with left.form("admin_alias", clear_on_submit=True):
        alias = st.text_input(t("admin.alias"))
        target = st.text_input(t("admin.alias_target"))
        if st.form_submit_button(t("admin.alias_add")):
            if not alias.strip() or not target.strip() or alias.strip() == target.strip():
                st.error(t("admin.alias_invalid"))
            else:
                store.set_alias(alias, target, by=me.name)
                _done(safe.say("admin.alias_saved", alias=alias.strip(), department=target.strip()))
    if current:
        with right.form("admin_alias_delete"):
            chosen = st.selectbox(t("admin.alias"), list(current), placeholder=t("widget.choose"))
            if st.form_submit_button(t("admin.alias_delete")):
                store.delete_alias(chosen, by=me.name)
                _done(safe.say("admin.alias_deleted", alias=chosen))
    st.markdown(f"**{t('admin.unknown')}**")
    st.caption(t("admin.unknown_help"))
    if "headcount" not in set(web.sources()["kind"]):
        st.caption(t("admin.no_headcount"))
    unknown = store.unknown_departments()
    if unknown.empty:
        st.caption(t("admin.unknown_none"))
    else:
        unknown["kinds"] = unknown["kinds"].map(lambda ks: t("sep.list").join(t(f"kind.{k}") for k in ks.split(",")))
        web.table(unknown, ["department", "kinds", "row_count"], key="admin_unknown")


def locks(me: auth.User) -> None:
    """The user names locked after too many wrong passwords, where from, and a button to lift a lock."""
    store = web.store()
    st.subheader(t("admin.locks"))
    st.caption(t("admin.locks_help", failures=auth.MAX_FAILURES, minutes=int(auth.LOCKOUT.total_seconds() // 60)))
    locked = auth.locked_names(store)
    if locked.empty:
        st.caption(t("admin.locks_none"))
        return
    locked["address"] = locked["address"].replace("", t("admin.this_machine"))
    web.table(locked, LOCKS, key="admin_locks")
    with st.form("admin_unlock"):
        name = st.selectbox(t("admin.name"), list(dict.fromkeys(locked["user_name"])), placeholder=t("widget.choose"))
        if st.form_submit_button(t("admin.unlock")) and name:
            auth.unlock(store, name, by=me.name)
            _done(safe.say("cli.user_unlocked", name=name))


def logs() -> None:
    store = web.store()
    st.subheader(t("admin.sign_ins"))
    attempts = auth.attempts(store)
    attempts["outcome"] = attempts["reason"].map(lambda r: t(f"signin.reason.{r}"))
    attempts["via"] = attempts["method"].map(lambda m: t(f"signin.via.{m}"))
    attempts["account"] = attempts["user_name"]
    web.table(attempts, SIGN_INS, key="admin_sign_ins")
    st.subheader(t("admin.audit"))
    done = auth.audit_log(store)
    done["operator"] = done["user_name"].map(audit.operator)
    done["sentence"] = [audit.sentence(a, d) for a, d in zip(done["action"], done["detail"], strict=True)]
    web.table(done, AUDIT, key="admin_audit")
