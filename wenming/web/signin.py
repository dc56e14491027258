"""Sign-in for the web app: who is using this session, or a stop before anything is shown.

The signed-in user's name is kept in st.session_state only, on the server: no cookie
of ours, nothing the browser could forge. Every run reads the user again from the
users table, so disabling a user or changing a role takes effect at their next click.
With an OIDC provider configured ([auth] in .streamlit/secrets.toml), Streamlit's
st.login verifies the identity and its email is looked up in the same table.
"""

from __future__ import annotations

import ipaddress

import streamlit as st
from streamlit import config
from streamlit.runtime.scriptrunner import get_script_run_ctx

from wenming.store import Store, auth
from wenming.text import t
from wenming.web import data

USER = "_signed_in"  # session state: the signed-in user's name
OIDC_LOGGED = "_oidc_logged"  # session state: the identity whose sign-in was already logged


def loopback(address: str | None) -> bool:
    """Whether the server listens on this machine only (no address: every interface)."""
    if not address:
        return False
    if address.strip("[]") == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def oidc_configured() -> bool:
    """An [auth] section in .streamlit/secrets.toml: single sign-on through st.login."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _session_id() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else None


def current() -> auth.User | None:
    """This session's user: the local user when no users are configured, None before sign-in."""
    store = data.store()
    if not auth.has_users(store):
        return auth.local() if loopback(config.get_option("server.address")) else None
    name = st.session_state.get(USER)
    found = auth.find(store, name) if name else None
    return found if found is not None and found.enabled else None


def gate() -> auth.User | None:
    """This session's user, None before sign-in; called by app.py before any data.

    With no users configured: the local user when the server listens on loopback only,
    else one sentence and st.stop(). A single sign-on identity not in the users table:
    one sentence and st.stop().
    """
    store = data.store()
    if not auth.has_users(store):
        address = config.get_option("server.address")
        if not loopback(address):
            st.error(t("signin.open_without_users", address=address or "0.0.0.0"), icon=":material/lock:")
            st.stop()
        st.sidebar.caption(t("signin.local"))
        return auth.local()
    if st.session_state.get(USER):
        user = current()
        if user is not None:
            _signed_in(user)
            return user
        st.session_state.pop(USER, None)
        st.warning(t("signin.gone"))
    if oidc_configured() and st.user.get("is_logged_in"):
        return _identity(store)
    return None


def required(user: auth.User | None) -> None:
    """Before sign-in: the sign-in form, and the script stops here (st.navigation has kept the page's URL)."""
    if user is None:
        _form(data.store())
        st.stop()


def _identity(store: Store) -> auth.User | None:
    """The single sign-on identity mapped onto the users table; an identity not in it is denied."""
    email = str(st.user.get("email") or "")
    if st.session_state.get(OIDC_LOGGED) != email:
        attempt = auth.identity(store, email, session_id=_session_id())
        st.session_state[OIDC_LOGGED] = email
    else:  # a rerun of a denied identity: not logged again
        found = auth.find_by_email(store, email)
        attempt = auth.Attempt(found, "ok") if found and found.enabled else auth.Attempt(None, "not_registered")
    if attempt.user is not None:
        st.session_state[USER] = attempt.user.name
        _signed_in(attempt.user)
        return attempt.user
    if attempt.reason == "disabled":
        st.error(attempt.message())
    else:
        st.error(t("signin.not_registered", email=email or "?"))
    if st.button(t("signin.sso_other")):
        st.logout()
    st.stop()
    return None


def _form(store: Store) -> None:
    st.title(t("signin.title"))
    with st.form("signin"):
        st.caption(t("signin.intro"))
        name = st.text_input(t("signin.name"), key="signin_name")
        password = st.text_input(t("signin.password"), type="password", key="signin_password")
        submitted = st.form_submit_button(t("signin.submit"), type="primary")
    if oidc_configured() and st.button(t("signin.sso"), icon=":material/badge:"):
        st.login()
    if submitted:
        attempt = auth.sign_in(store, name, password, session_id=_session_id())
        if attempt.user is not None:
            st.session_state[USER] = attempt.user.name
            st.rerun()
        st.error(attempt.message(), icon=":material/error:")


def _signed_in(user: auth.User) -> None:
    """The sidebar's note of who is signed in, and the sign-out button."""
    st.sidebar.caption(t("signin.signed_in", name=user.name, role=t(f"role.{user.role}")))
    if st.sidebar.button(t("signin.sign_out"), icon=":material/logout:", key="signin_out"):
        st.session_state.pop(USER, None)
        st.session_state.pop(OIDC_LOGGED, None)
        if oidc_configured() and st.user.get("is_logged_in"):
            st.logout()
        st.rerun()


def require(need: str | None) -> auth.User:
    """Stop a page run whose user lacks ``need`` ("import", "admin"), or any user before sign-in."""
    user = current()
    allowed = user is not None and (
        need is None or (need == "import" and user.may_import) or (need == "admin" and user.is_admin)
    )
    if not allowed:
        st.error(t("signin.forbidden_page"), icon=":material/lock:")
        st.stop()
    assert user is not None
    return user
