"""The audit log in words: one sentence per action, and who did it, for the admin page and the command line."""

from __future__ import annotations

import json

from wenming.text import t

USER_COLUMNS = {"user_name", "created_by", "frozen_by", "added_by", "removed_by"}  # columns naming who did it
SAMPLE_USERS = {t("sample.user", "zh"), t("sample.user", "en")}  # the name the samples were imported under


def operator(who: str) -> str:
    """A user's name as is; the command line's "cli:root" as 命令行（root）; the samples' importer in the UI's language.

    The samples are imported under the name "示例数据" or "sample data" (the language of the first visit): a word
    of the UI, not a person, so it is shown in the language of whoever reads it.
    """
    if who in SAMPLE_USERS:
        return t("sample.user")
    return t("audit.by_cli", user=who.removeprefix("cli:")) if who.startswith("cli:") else who


def sentence(action: str, detail: str | None) -> str:
    """What an action did, e.g. 添加用户 张伟（填报人员，部门：工会）, from its JSON detail."""
    fields = json.loads(detail) if detail else {}
    if action == "user_add":
        departments = t("sep.list").join(fields.get("departments") or []) or t("audit.all")
        return t(
            "audit.said.user_add", user=fields.get("user", ""), role=_role(fields.get("role")), departments=departments
        )
    if action == "user_update":
        changed = t("sep.list").join(_change(key, value) for key, value in fields.items() if key != "user")
        return t("audit.said.user_update", user=fields.get("user", ""), changes=changed or t("audit.nothing"))
    if action == "restore":
        scope = t("sep.list").join(
            str(part)
            for part in (fields.get("department"), t(f"kind.{fields['kind']}") if fields.get("kind") else None)
            if part
        )
        return t("audit.said.restore", scope=scope or t("audit.all"), source=fields.get("source", ""))
    if action == "target_set":
        rate = fields.get("rate")
        shown = "—" if rate is None else f"{rate:.0%}"
        return t("audit.said.target_set", target=t(f"target.{fields.get('target')}"), rate=shown)
    params = {key: ("" if value is None else value) for key, value in fields.items()}
    try:
        return t(f"audit.said.{action}", **params)
    except (KeyError, IndexError):  # an action of a later version, or a detail without a field
        return t(f"audit.{action}") if action else ""


def _role(role: str | None) -> str:
    return t(f"role.{role}") if role else ""


def _change(key: str, value: object) -> str:
    if key == "role":
        shown = _role(str(value))
    elif key == "enabled":
        return t("audit.enabled" if value else "audit.disabled")
    elif isinstance(value, list):
        shown = t("sep.list").join(map(str, value)) or t("audit.all")
    else:
        shown = "—" if value is None else str(value)
    return t("audit.change", field=t(f"col.{key}"), value=shown)
