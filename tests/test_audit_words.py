"""The audit log in words: one readable sentence per action, the command line named as such."""

from __future__ import annotations

import json

from wenming.render import audit


def said(action: str, **detail: object) -> str:
    return audit.sentence(action, json.dumps(detail, ensure_ascii=False))


def test_each_action_is_a_sentence() -> None:
    assert said("user_add", user="张伟", role="staff", departments=["工会"], email=None) == (
        "添加用户 张伟（填报人员，部门：工会）"
    )
    assert said("user_update", user="张伟", role="leader", enabled=False) == "修改用户 张伟：角色改为领导、停用"
    assert said("password", user="张伟") == "为 张伟 设置新密码"
    assert said("alias_set", alias="法工", department="法工委") == "把“法工”作为“法工委”的别名"
    assert said("alias_delete", alias="法工") == "删除别名“法工”"
    assert said("restore", source=3, import_id=7, kind="tasks", department="工会") == (
        "把工会、任务分解的数据恢复为第 3 次导入时的样子"
    )
    assert said("download_original", import_id=2, file="a.xlsx") == "下载第 2 次导入的原文件 a.xlsx"


def test_the_command_line_is_named_and_raw_json_never_shows() -> None:
    assert audit.operator("cli:root") == "命令行（root）" and audit.operator("张伟") == "张伟"
    assert "{" not in said("user_add", user="王局", role="leader", departments=[], email="w@example.org")


def test_a_target_line_in_words() -> None:
    assert said("target_set", target="attainment", rate=0.95) == "把测评得分率合格线设为 95%"
    assert said("target_set", target="completion", rate=None) == "把任务完成率目标设为 —"


def test_the_samples_importer_is_named_in_the_readers_language() -> None:
    """The samples are imported as 示例数据 or "sample data": a word of the UI, shown in the reader's language."""
    from wenming import text

    assert audit.operator("示例数据") == "示例数据" and audit.operator("sample data") == "示例数据"
    text.use("en")
    try:
        assert audit.operator("示例数据") == "sample data" and audit.operator("张伟") == "张伟"
    finally:
        text.use("zh")
