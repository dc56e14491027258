"""用户与设置 (administrators): users and roles, department aliases, the sign-in and administrative logs."""

from wenming import web
from wenming.web import admin as admin_ui
from wenming.web import signin, targets

web.page("page.admin", (), need="admin")
me = signin.current()
admin_ui.notice()
admin_ui.users(me)
admin_ui.aliases(me)
targets.form(me.name)
admin_ui.logs()
