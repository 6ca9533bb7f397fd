"""In-app notifications."""


from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from tasks import selectors, services
from tasks.formats import whole_number


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "tasks/notification_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            nav="notifications", notifications=selectors.notifications_for(self.request.user), **kwargs
        )


class NotificationsReadView(LoginRequiredMixin, View):
    def post(self, request):
        ids = [n for n in map(whole_number, request.POST.getlist("id")) if n is not None] or None
        services.notifications_mark_read(user=request.user, notification_ids=ids)
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return HttpResponseRedirect(target)
        return redirect("tasks:notifications")
