"""In-app notifications."""


from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from tasks import selectors, services
from tasks.formats import whole_number


class NotificationListView(LoginRequiredMixin, TemplateView):
    """Notices newest first, repeated ones grouped, 30 to a page; unread only or all."""

    template_name = "tasks/notification_list.html"
    per_page = 30

    def get_context_data(self, **kwargs):
        unread_only = self.request.GET.get("show") == "unread"
        groups = selectors.notification_groups(self.request.user, unread_only=unread_only)
        page = Paginator(groups, self.per_page).get_page(whole_number(self.request.GET.get("page")) or 1)
        return super().get_context_data(
            nav="notifications", page=page, groups=page.object_list, unread_only=unread_only, **kwargs
        )


class NotificationsReadView(LoginRequiredMixin, View):
    def post(self, request):
        ids = [n for n in map(whole_number, request.POST.getlist("id")) if n is not None] or None
        services.notifications_mark_read(user=request.user, notification_ids=ids)
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return HttpResponseRedirect(target)
        return redirect("tasks:notifications")
