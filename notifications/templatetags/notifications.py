"""``{% unread_notifications as count %}``: the navigation's unread count (one query, only for a
signed-in person, only where the navigation is drawn)."""

from django import template

from notifications import services

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return services.unread_count(user)
