"""用户与设置 (administrators): users and roles, department aliases, the organisation's own words, the sign-in and administrative logs."""

from wenming import web
from wenming.web import admin as admin_ui
from wenming.web import signin, targets, wall
from wenming.web import words as words_ui

web.page("page.admin", (), need="admin")
me = signin.current()
admin_ui.notice()
admin_ui.files_warning()
admin_ui.users(me)
admin_ui.aliases(me)
admin_ui.locks(me)
words_ui.taught_notice()
words_ui.admin(me.name or "admin")
targets.form(me.name)
wall.admin(me)
admin_ui.logs()
