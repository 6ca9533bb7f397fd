from django.utils.functional import SimpleLazyObject

from .permissions import dashboard_scope_for


def navigation(request):
    return {"can_see_dashboard": SimpleLazyObject(lambda: dashboard_scope_for(request.user) is not None)}
