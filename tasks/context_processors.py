from django.utils.functional import SimpleLazyObject

from . import permissions, selectors


def navigation(request):
    """What the header needs: the unread count and which work lists to offer."""
    user = request.user
    return {
        "unread_notifications": SimpleLazyObject(lambda: selectors.unread_notification_count(user)),
        "can_review_reports": SimpleLazyObject(lambda: permissions.can_review_reports(user)),
        "can_import_plans": SimpleLazyObject(lambda: permissions.can_import_plans(user)),
        "can_lead_tasks": SimpleLazyObject(lambda: permissions.can_lead_tasks(user)),
        "can_manage_plans": SimpleLazyObject(lambda: permissions.can_manage_plans(user)),
        "can_read_plans": SimpleLazyObject(lambda: permissions.can_read_plans(user)),
    }
