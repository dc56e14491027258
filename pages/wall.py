"""大屏: the headline charts and the current review, cycling on a screen in the office; opened by a URL with a
read-only token (wenming.web.wall), no sign-in, no other page."""

from wenming.web import wall

wall.show()
